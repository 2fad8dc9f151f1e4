import { z } from 'zod';
import { AwsAccountId } from './targets.ts';
import { RotationSchedule, RotationStrategy } from './rotation.ts';
import { MAX_FREEZE_WINDOWS, NewFreezeWindow } from './freeze.ts';
import { TeamAlerts } from './alerts.ts';

/**
 * A team's settings, from the teams configuration file (TEAMS_CONFIG, default config/teams.json):
 * what the portal's "Enable rotation" fills in, the limits the API enforces on the team's
 * schedules, and the IAM role the team's AWS calls run under.
 */
export const TeamDefaults = z
  .strictObject({
    /** The wizard's schedule, e.g. { kind: 'days', days: 30 }. */
    schedule: RotationSchedule.optional(),
    /** The rotation window, e.g. "3h". */
    duration: z.string().trim().max(8).optional(),
    /**
     * The function: a new one per secret (the wizard names it from the secret), or the
     * team's shared rotation function.
     */
    function: z
      .discriminatedUnion('mode', [
        z.strictObject({ mode: z.literal('create'), strategy: RotationStrategy.default('single-user') }),
        z.strictObject({ mode: z.literal('existing'), functionArn: z.string().trim().min(1).max(2048), strategy: RotationStrategy.default('single-user') }),
      ])
      .optional(),
    /** 'auto': the network the wizard finds through RDS; or a fixed VPC for the team's functions. */
    network: z
      .union([
        z.literal('auto'),
        z.strictObject({
          vpcId: z.string().trim().min(1).max(64),
          subnetIds: z.array(z.string().trim().min(1).max(64)).min(1).max(16),
          securityGroupIds: z.array(z.string().trim().min(1).max(64)).min(1).max(5),
          createSecretsManagerEndpoint: z.boolean().default(false),
        }),
      ])
      .default('auto'),
  })
  .meta({ id: 'TeamDefaults' });
export type TeamDefaults = z.infer<typeof TeamDefaults>;

export const TeamLimits = z
  .strictObject({
    /** The longest a team's secret may go between rotations, in days (e.g. 90). */
    maxIntervalDays: z.number().int().min(1).max(1000).optional(),
  })
  .meta({ id: 'TeamLimits' });
export type TeamLimits = z.infer<typeof TeamLimits>;

export const TeamSettings = z
  .strictObject({
    displayName: z.string().trim().min(1).max(128).optional(),
    /**
     * Where set, the team's AWS calls run under this role (sts:AssumeRole, the person's name as
     * the session name), so AWS's own policies bound the team and CloudTrail shows who acted.
     */
    roleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/payments-rotation')
      .optional(),
    defaults: TeamDefaults.default({ network: 'auto' }),
    limits: TeamLimits.default({}),
    /**
     * Rotation functions the team owns though they carry no team tag (names or ARNs): the team may
     * use and change them. A function tagged with another team stays that team's.
     */
    functions: z.array(z.string().trim().min(1).max(2048)).max(200).default([]),
    /**
     * AWS accounts the team owns whole (12-digit ids): every secret and resource in them without a
     * team tag is the team's; a team tag still says whose a resource is.
     */
    accounts: z.array(AwsAccountId).max(1000).default([]),
    /** VPCs, subnets and security groups the team may run its rotation functions in, besides its databases' own and those tagged with the team. */
    network: z
      .strictObject({
        vpcIds: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
        subnetIds: z.array(z.string().trim().min(1).max(64)).max(500).default([]),
        securityGroupIds: z.array(z.string().trim().min(1).max(64)).max(500).default([]),
      })
      .default({ vpcIds: [], subnetIds: [], securityGroupIds: [] }),
    /** Times when the console starts no rotation of the team's secrets (docs/freeze-windows.md); the portal adds more. */
    freezeWindows: z.array(NewFreezeWindow).max(MAX_FREEZE_WINDOWS).default([]),
    /** Where the team's alerts go (docs/alerts.md): webhooks, Slack and email; the portal adds more. */
    alerts: TeamAlerts.default({ channels: [] }),
  })
  .meta({ id: 'TeamSettings' });
export type TeamSettings = z.infer<typeof TeamSettings>;

export const TeamsConfig = z
  .strictObject({
    $comment: z.string().optional(),
    /** Team name (the value of the secrets' team tag) -> its settings. */
    teams: z.record(z.string().min(1).max(256), TeamSettings).default({}),
  })
  .superRefine((config, ctx) => {
    // An account has one owning team at most: two would make its untagged secrets everybody's and nobody's.
    const owners = new Map<string, string>();
    for (const [team, settings] of Object.entries(config.teams))
      for (const account of settings.accounts) {
        const other = owners.get(account);
        if (other) ctx.addIssue({ code: 'custom', path: ['teams', team, 'accounts'], message: `account ${account} is already ${other}'s` });
        owners.set(account, team);
      }
  });
export type TeamsConfig = z.infer<typeof TeamsConfig>;

/** A team's limit on its schedules, with the team's name for the message. */
export interface ScheduleLimit {
  team: string;
  maxIntervalDays: number;
}

const days = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} day${n === 1 ? '' : 's'}`;

/**
 * The words of a refused schedule, the same from the API (which enforces the limit) and the web
 * app (which refuses early): `interval` is the schedule's interval in days, or for a cron
 * schedule its longest gap between two rotations.
 */
export const scheduleLimitMessage = (limit: ScheduleLimit, interval: number, kind: 'interval' | 'longest-gap'): string =>
  `Team ${limit.team} allows at most ${days(limit.maxIntervalDays)} between rotations; ${
    kind === 'longest-gap' ? `this schedule can leave ${days(interval)} between rotations` : `this schedule rotates every ${days(interval)}`
  }.`;
