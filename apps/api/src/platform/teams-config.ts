import { TeamsConfig, type TeamSettings } from '@rotation-console/contracts';
import { functionNameOf, type ScheduleLimit } from '@rotation-console/rotation';
import { readConfigFile } from './config-file.ts';

/**
 * The teams configuration (TEAMS_CONFIG, a JSON file; see config/teams.json): each team's
 * portal defaults, schedule limits and IAM role. Read once at boot; a bad file stops the
 * process with the path and the fields that are wrong.
 */
export interface Teams {
  /** The team's settings, or undefined for a team the file does not name (no defaults, no limits, the console's own role). */
  get(team: string | null): TeamSettings | undefined;
  names(): string[];
  /** The teams whose entry lists this function (by name or ARN) or network id (VPC, subnet, security group). */
  listing(kind: 'function' | 'vpc' | 'subnet' | 'security-group', id: string): string[];
  /** Account id -> the team that owns it whole (the teams' `accounts`). */
  accountOwners(): Map<string, string>;
}

export class TeamsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamsConfigError';
  }
}

const listed = (settings: TeamSettings, kind: 'function' | 'vpc' | 'subnet' | 'security-group', id: string): boolean => {
  switch (kind) {
    case 'function':
      return settings.functions.some((f) => functionNameOf(f) === functionNameOf(id));
    case 'vpc':
      return settings.network.vpcIds.includes(id);
    case 'subnet':
      return settings.network.subnetIds.includes(id);
    case 'security-group':
      return settings.network.securityGroupIds.includes(id);
  }
};

export const teamsFrom = (config: TeamsConfig): Teams => ({
  get: (team) => (team === null ? undefined : Object.hasOwn(config.teams, team) ? config.teams[team] : undefined),
  names: () => Object.keys(config.teams).sort(),
  listing: (kind, id) =>
    Object.entries(config.teams)
      .filter(([, settings]) => listed(settings, kind, id))
      .map(([team]) => team)
      .sort(),
  accountOwners: () => new Map(Object.entries(config.teams).flatMap(([team, settings]) => settings.accounts.map((account) => [account, team] as const))),
});

/**
 * Parses the file at `path`. Unset gives no teams, so the console runs without the file; a path
 * that is set but missing is a mistake (a typo would silently lift every team's limits).
 */
export const loadTeams = (path: string | undefined): Teams =>
  teamsFrom(path ? readConfigFile('TEAMS_CONFIG', path, TeamsConfig, (message) => new TeamsConfigError(message)) : { teams: {} });

/** The team's limit on its schedules, for scheduleLimitProblem; null for a team without one. */
export const scheduleLimitOf = (teams: Teams, team: string | null): ScheduleLimit | null => {
  const max = teams.get(team)?.limits.maxIntervalDays;
  return team !== null && max !== undefined ? { team, maxIntervalDays: max } : null;
};
