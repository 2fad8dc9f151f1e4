import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AlertChannel, NewAlertChannel, TeamAlertChannel } from '@rotation-console/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { AlertChannelsTable, Database } from '../../platform/db/schema.ts';
import type { Teams } from '../../platform/teams-config.ts';
import { maskUrl } from './channel-url.ts';
import type { ResolvedChannel } from './senders.ts';

/** A channel with what it needs to send (`resolved`, null with a `problem` when it cannot). Never leaves the API as is. */
export interface TeamChannel {
  view: AlertChannel;
  resolved: ResolvedChannel | null;
}

/** A teams-file channel's id: stable while its team and name are (the delivery log refers to it). */
const fileChannelId = (team: string, name: string) => `file-${createHash('sha256').update(`${team}\n${name}`).digest('hex').slice(0, 16)}`;

const fromFile = (team: string, c: TeamAlertChannel, env: NodeJS.ProcessEnv): TeamChannel => {
  const base = { id: fileChannelId(team, c.name), team, name: c.name, kind: c.kind, source: 'teams-file' as const, createdAt: null, createdBy: null };
  if (c.kind === 'email') return { view: { ...base, destination: c.to.join(', '), problem: null }, resolved: { kind: 'email', to: c.to } };
  const url = c.url ?? (c.urlEnv ? env[c.urlEnv] : undefined);
  const missing = !url ? `The environment variable ${c.urlEnv ?? ''} holding the URL is not set.` : null;
  if (c.kind === 'slack')
    return { view: { ...base, destination: url ? maskUrl(url) : '(not set)', problem: missing }, resolved: url ? { kind: 'slack', url } : null };
  const secret = env[c.signingSecretEnv];
  const problem = missing ?? (secret ? null : `The environment variable ${c.signingSecretEnv} holding the signing secret is not set.`);
  return {
    view: { ...base, destination: url ? maskUrl(url) : '(not set)', problem },
    resolved: url && secret ? { kind: 'webhook', url, signingSecret: secret } : null,
  };
};

const fromRow = (row: Selectable<AlertChannelsTable>): TeamChannel => {
  const base = { id: row.id, team: row.team, name: row.name, kind: row.kind, source: 'portal' as const, createdAt: row.created_at, createdBy: row.created_by };
  if (row.kind === 'email') {
    const to = JSON.parse(row.recipients ?? '[]') as string[];
    return { view: { ...base, destination: to.join(', '), problem: null }, resolved: { kind: 'email', to } };
  }
  const url = row.url ?? '';
  return {
    view: { ...base, destination: maskUrl(url), problem: null },
    resolved: row.kind === 'webhook' ? { kind: 'webhook', url, signingSecret: row.signing_secret ?? '' } : { kind: 'slack', url },
  };
};

/** A new webhook's signing secret: 32 random bytes, shown once. */
const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** The channels of each team: those of the teams file and those made on the portal (the database). */
export const createAlertChannels = ({ db, teams, env = process.env }: { db: Kysely<Database>; teams: Teams; env?: NodeJS.ProcessEnv }) => {
  const ofTeam = async (team: string): Promise<TeamChannel[]> => {
    const file = (teams.get(team)?.alerts.channels ?? []).map((c) => fromFile(team, c, env));
    const rows = await db.selectFrom('alert_channels').selectAll().where('team', '=', team).orderBy('created_at').execute();
    return [...file, ...rows.map(fromRow)];
  };

  return {
    ofTeam,

    async byId(team: string, id: string): Promise<TeamChannel | null> {
      return (await ofTeam(team)).find((c) => c.view.id === id) ?? null;
    },

    /** Any channel by id, whatever its team (the dispatcher's view of an outbox row). */
    async resolve(team: string, id: string): Promise<TeamChannel | null> {
      return (await ofTeam(team)).find((c) => c.view.id === id) ?? null;
    },

    /** Stores a portal channel (its URL already checked); returns it and, for a webhook, its signing secret. */
    async create(team: string, input: NewAlertChannel, createdBy: string, at: Date): Promise<{ channel: AlertChannel; signingSecret: string | null }> {
      const signingSecret = input.kind === 'webhook' ? newSigningSecret() : null;
      const row = {
        id: randomUUID(),
        team,
        name: input.name,
        kind: input.kind,
        url: input.kind === 'email' ? null : input.url,
        recipients: input.kind === 'email' ? JSON.stringify(input.to) : null,
        signing_secret: signingSecret,
        created_at: at.toISOString(),
        created_by: createdBy,
      };
      await db.insertInto('alert_channels').values(row).execute();
      return { channel: fromRow(row).view, signingSecret };
    },

    async remove(team: string, id: string): Promise<boolean> {
      const gone = await db.deleteFrom('alert_channels').where('team', '=', team).where('id', '=', id).executeTakeFirst();
      return Number(gone.numDeletedRows) > 0;
    },

    /** Teams that have at least one channel (file or portal). */
    async teamsWithChannels(): Promise<string[]> {
      const rows = await db.selectFrom('alert_channels').select('team').distinct().execute();
      const file = teams.names().filter((t) => (teams.get(t)?.alerts.channels.length ?? 0) > 0);
      return [...new Set([...file, ...rows.map((r) => r.team)])].sort();
    },
  };
};
export type AlertChannels = ReturnType<typeof createAlertChannels>;
