import { ROTATION_API_CALLS, ROTATION_SERVICE_EVENTS } from '@rotation-console/contracts';
import { API_CALL, SERVICE_EVENT } from '@rotation-console/rotation';
import { z } from 'zod';

/**
 * The EventBridge event of a CloudTrail record from Secrets Manager, as AWS documents both kinds:
 * - `AWS Service Event via CloudTrail` (RotationStarted, RotationSucceeded, RotationFailed,
 *   RotationAbandoned): the secret in `detail.additionalEventData.SecretId`;
 * - `AWS API Call via CloudTrail` (RotateSecret, PutSecretValue, ...): the secret as the caller named
 *   it in `detail.requestParameters.secretId` (a name or an ARN).
 * Only what the consumer reads is checked; everything else may be there (passthrough). The account is
 * CloudTrail's `recipientAccountId` (the envelope's `account` is the bus's account once a member
 * account forwards the event), the region the envelope's.
 */
const Detail = z.looseObject({
  eventSource: z.literal('secretsmanager.amazonaws.com'),
  eventName: z.string().min(1).max(128),
  awsRegion: z.string().optional(),
  recipientAccountId: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  requestParameters: z.looseObject({ secretId: z.string().min(1).max(2048).optional() }).nullish(),
  responseElements: z.looseObject({ arn: z.string().optional() }).nullish(),
  additionalEventData: z.looseObject({ SecretId: z.string().min(1).max(2048).optional() }).nullish(),
});

export const EventBridgeEnvelope = z.looseObject({
  version: z.string().optional(),
  id: z.string().min(1).max(256),
  'detail-type': z.enum([SERVICE_EVENT, API_CALL]),
  source: z.literal('aws.secretsmanager'),
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  time: z.iso.datetime({ offset: true }),
  region: z.string().min(1).max(64),
  resources: z.array(z.unknown()).optional(),
  detail: Detail,
});

/** What the consumer does with one event. */
export interface RotationEvent {
  eventId: string;
  detailType: string;
  eventName: string;
  accountId: string;
  region: string;
  /** The secret's ARN, or its name where the call named it so (found in the event's account and region). */
  secretId: string;
  eventTime: string;
  /** DeleteSecret: the secret leaves the index (DescribeSecret shows it scheduled for deletion). */
  relevant: boolean;
}

const KNOWN = new Set<string>([...ROTATION_SERVICE_EVENTS, ...ROTATION_API_CALLS]);

export type ParsedMessage = { ok: true; event: RotationEvent } | { ok: false; reason: string; eventId: string | null; detailType: string | null };

/** Parses one SQS message body as the rule delivers it (the EventBridge event itself, as JSON). */
export const parseRotationEvent = (body: string): ParsedMessage => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'The message is not JSON.', eventId: null, detailType: null };
  }
  const loose = (json ?? {}) as { id?: unknown; 'detail-type'?: unknown };
  const eventId = typeof loose.id === 'string' ? loose.id.slice(0, 256) : null;
  const detailType = typeof loose['detail-type'] === 'string' ? loose['detail-type'].slice(0, 128) : null;
  const parsed = EventBridgeEnvelope.safeParse(json);
  if (!parsed.success) {
    // Field paths and zod's words only: never a value from the message.
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
    return { ok: false, reason: `Not a Secrets Manager event from EventBridge: ${issues.join('; ')}`, eventId, detailType };
  }
  const e = parsed.data;
  const d = e.detail;
  const secretId =
    e['detail-type'] === SERVICE_EVENT
      ? (d.additionalEventData?.SecretId ?? null)
      : (stringOrNull(d.responseElements?.arn) ?? d.requestParameters?.secretId ?? null);
  const accountId = d.recipientAccountId ?? e.account ?? null;
  if (!secretId) return { ok: false, reason: `The ${d.eventName} event names no secret.`, eventId, detailType };
  if (!accountId) return { ok: false, reason: `The ${d.eventName} event names no account.`, eventId, detailType };
  return {
    ok: true,
    event: {
      eventId: e.id,
      detailType: e['detail-type'],
      eventName: d.eventName,
      accountId,
      region: e.region,
      secretId,
      eventTime: new Date(e.time).toISOString(),
      relevant: KNOWN.has(d.eventName),
    },
  };
};

const stringOrNull = (value: unknown) => (typeof value === 'string' && value.startsWith('arn:') ? value : null);
