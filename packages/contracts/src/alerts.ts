import { z } from 'zod';

/**
 * Alerts to the team that owns a secret (issue 16, item 2): channels per team (in the teams file
 * and on the portal), the rules that raise alerts, and the delivery log the team reads.
 */

export const AlertChannelKind = z.enum(['webhook', 'slack', 'email']).meta({ id: 'AlertChannelKind' });
export type AlertChannelKind = z.infer<typeof AlertChannelKind>;

/** What raised an alert: the four rules, a "Send a test alert", and the message that folds what a channel's rate limit held. */
export const AlertRule = z.enum(['rotation-failed', 'overdue', 'pending-stuck', 'weekly-digest', 'test', 'folded']).meta({ id: 'AlertRule' });
export type AlertRule = z.infer<typeof AlertRule>;

export const alertRuleLabels: Readonly<Record<AlertRule, string>> = {
  'rotation-failed': 'Rotation failed',
  overdue: 'Rotation overdue',
  'pending-stuck': 'AWSPENDING stuck',
  'weekly-digest': 'Weekly digest',
  test: 'Test alert',
  folded: 'Alerts held by the rate limit',
};

const ChannelName = z.string().trim().min(1, 'Enter a name for the channel').max(64, 'A channel name has at most 64 characters');
const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'must be an environment variable name such as PAYMENTS_ALERTS_WEBHOOK_URL');
const Email = z.email({ message: 'must be an email address such as team@example.com' }).max(254);
const Recipients = z.array(Email).min(1, 'Enter at least one recipient').max(20, 'At most 20 recipients');

/**
 * A channel in the teams file (TEAMS_CONFIG, `teams.<team>.alerts.channels`). A webhook's or
 * Slack's URL is a credential: name an environment variable that holds it (`urlEnv`) rather than
 * writing it in the file; a webhook's signing secret comes from the variable `signingSecretEnv`.
 */
export const TeamAlertChannel = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('webhook'),
      name: ChannelName,
      url: z.string().trim().max(2048).optional(),
      urlEnv: EnvName.optional(),
      signingSecretEnv: EnvName,
    }),
    z.strictObject({ kind: z.literal('slack'), name: ChannelName, url: z.string().trim().max(2048).optional(), urlEnv: EnvName.optional() }),
    z.strictObject({ kind: z.literal('email'), name: ChannelName, to: Recipients }),
  ])
  .refine((c) => c.kind === 'email' || (c.url === undefined) !== (c.urlEnv === undefined), { message: 'set url or urlEnv, one of the two' })
  .meta({ id: 'TeamAlertChannel' });
export type TeamAlertChannel = z.infer<typeof TeamAlertChannel>;

export const TeamAlerts = z
  .strictObject({
    channels: z.array(TeamAlertChannel).max(20).default([]),
  })
  .meta({ id: 'TeamAlerts' });
export type TeamAlerts = z.infer<typeof TeamAlerts>;

export const TeamParams = z.strictObject({ team: z.string().trim().min(1).max(256) });
export type TeamParams = z.infer<typeof TeamParams>;

export const AlertChannelParams = TeamParams.extend({ channelId: z.string().trim().min(1).max(128) });
export type AlertChannelParams = z.infer<typeof AlertChannelParams>;

/** A channel as the API shows it: a URL only as its host and a masked path (it is a credential). */
export const AlertChannel = z
  .object({
    id: z.string(),
    team: z.string(),
    name: z.string(),
    kind: AlertChannelKind,
    /** portal: made on the portal (removable there); teams-file: from TEAMS_CONFIG (change the file). */
    source: z.enum(['portal', 'teams-file']),
    /** "hooks.example.com/serv…a1b2" for a URL, the recipients for email. */
    destination: z.string(),
    /** Set when the channel cannot send (e.g. an environment variable the teams file names is not set). */
    problem: z.string().nullable(),
    createdAt: z.string().nullable(),
    createdBy: z.string().nullable(),
  })
  .meta({ id: 'AlertChannel' });
export type AlertChannel = z.infer<typeof AlertChannel>;

export const AlertChannelList = z.object({ items: z.array(AlertChannel) }).meta({ id: 'AlertChannelList' });
export type AlertChannelList = z.infer<typeof AlertChannelList>;

const HttpUrl = z.string().trim().min(1, 'Enter the URL').max(2048, 'A URL has at most 2048 characters');

/** "Add channel" on the portal. */
export const NewAlertChannel = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('webhook'), name: ChannelName, url: HttpUrl }),
    z.strictObject({ kind: z.literal('slack'), name: ChannelName, url: HttpUrl }),
    z.strictObject({ kind: z.literal('email'), name: ChannelName, to: Recipients }),
  ])
  .meta({ id: 'NewAlertChannel' });
export type NewAlertChannel = z.infer<typeof NewAlertChannel>;

export const AlertChannelCreated = z
  .object({
    channel: AlertChannel,
    /** A webhook's signing secret, shown this once: the receiver verifies X-Rotation-Console-Signature with it. Null for other kinds. */
    signingSecret: z.string().nullable(),
  })
  .meta({ id: 'AlertChannelCreated' });
export type AlertChannelCreated = z.infer<typeof AlertChannelCreated>;

export const AlertTestAccepted = z.object({ alertId: z.string() }).meta({ id: 'AlertTestAccepted' });
export type AlertTestAccepted = z.infer<typeof AlertTestAccepted>;

export const AlertDeliveryOutcome = z.enum(['delivered', 'retrying', 'failed', 'folded']).meta({ id: 'AlertDeliveryOutcome' });
export type AlertDeliveryOutcome = z.infer<typeof AlertDeliveryOutcome>;

/** One attempt to deliver one alert to one channel. */
export const AlertDelivery = z
  .object({
    id: z.string(),
    at: z.string(),
    alertId: z.string(),
    channelId: z.string(),
    channelName: z.string(),
    rule: AlertRule,
    /** The alert's title, e.g. "Rotation failed: prod/payments/orders-db". */
    title: z.string(),
    attempt: z.number().int(),
    outcome: AlertDeliveryOutcome,
    /** The receiver's HTTP status (webhook, Slack). */
    httpStatus: z.number().int().nullable(),
    /** The SMTP server's reply (email). */
    reply: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'AlertDelivery' });
export type AlertDelivery = z.infer<typeof AlertDelivery>;

export const AlertDeliveriesQuery = z.strictObject({
  channelId: z.string().trim().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AlertDeliveriesQuery = z.infer<typeof AlertDeliveriesQuery>;

export const AlertDeliveryPage = z.object({ items: z.array(AlertDelivery) }).meta({ id: 'AlertDeliveryPage' });
export type AlertDeliveryPage = z.infer<typeof AlertDeliveryPage>;

/** The webhook's headers: the HMAC-SHA256 of the raw body (`sha256=<hex>`), the time it was signed (Unix seconds, also in the body) and the alert's id. */
export const ALERT_SIGNATURE_HEADER = 'X-Rotation-Console-Signature';
export const ALERT_TIMESTAMP_HEADER = 'X-Rotation-Console-Timestamp';
export const ALERT_ID_HEADER = 'X-Rotation-Console-Alert';
