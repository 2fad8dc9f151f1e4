import { z } from 'zod';
import { DashboardRow, StatusCounts } from './dashboard.ts';
import { IndexFreshness } from './index-freshness.ts';
import { AwsAccountId, AwsRegionName } from './targets.ts';
import { TeamDefaults, TeamLimits } from './teams.ts';

/**
 * The self-service portal (GET /api/v1/portal): for each team whose secrets the caller may
 * change, the team's settings and its secrets from the dashboard's index, with what needs
 * attention first. Never read from AWS per request.
 */

export const PortalQuery = z.strictObject({
  /** One team only (the wizard asks for its secret's team's defaults and limit). */
  team: z.string().trim().min(1).max(256).optional(),
  /** Only the secrets of this account (12-digit id), and of this region, in a console covering several. */
  account: AwsAccountId.optional(),
  region: AwsRegionName.optional(),
});
export type PortalQuery = z.infer<typeof PortalQuery>;

/** Why a secret is on the "Needs attention" list, most urgent first. */
export const AttentionReason = z.enum(['failed', 'overdue', 'unknown', 'rotation-off', 'due-soon']);
export type AttentionReason = z.infer<typeof AttentionReason>;

export const PortalAttention = DashboardRow.extend({
  reason: AttentionReason,
  /** The reason in words, e.g. "Rotation not enabled", "Due in 3 days". */
  reasonText: z.string(),
});
export type PortalAttention = z.infer<typeof PortalAttention>;

/** A team's portal answer holds at most this many secrets (the dashboard lists the rest). */
export const PORTAL_MAX_SECRETS = 500;
/** Due within this many days: on the "Needs attention" list. */
export const PORTAL_DUE_SOON_DAYS = 7;

export const PortalTeam = z.object({
  /** The value of the secrets' team tag. */
  team: z.string(),
  /** From the teams configuration, else the team's name. */
  displayName: z.string(),
  /** Whether the teams configuration names this team (else: no defaults, no limits). */
  configured: z.boolean(),
  /** What "Enable rotation" fills in; null without configuration. */
  defaults: TeamDefaults.nullable(),
  limits: TeamLimits,
  counts: z.object({
    total: z.number().int(),
    byStatus: StatusCounts,
    needsAttention: z.number().int(),
    dueSoon: z.number().int(),
    /** Secrets whose next rotation window falls in one of the team's freeze windows. */
    inFreezeWindow: z.number().int().optional(),
  }),
  /** Failed or pending, overdue, rotation off, and due within 7 days; most urgent first. */
  needsAttention: z.array(PortalAttention),
  /** The team's secrets, most urgent status first (at most 500). */
  secrets: z.array(DashboardRow),
  /** True when the team has more secrets than `secrets` holds. */
  truncated: z.boolean(),
  /** The team's secrets by account and region (the filter's), most secrets first: where they live. */
  byTarget: z.array(z.object({ accountId: z.string(), region: z.string(), total: z.number().int(), needsAttention: z.number().int() })),
});
export type PortalTeam = z.infer<typeof PortalTeam>;

export const Portal = z
  .object({
    teams: z.array(PortalTeam),
    freshness: IndexFreshness,
  })
  .meta({ id: 'Portal' });
export type Portal = z.infer<typeof Portal>;
