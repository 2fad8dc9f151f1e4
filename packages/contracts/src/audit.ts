import { z } from 'zod';

const text = (field: string, max = 512) => z.string().trim().min(1, `${field} must not be empty`).max(max, `${field} must be at most ${max} characters`);
const instant = (field: string) => z.iso.datetime({ message: `${field} must be an ISO 8601 time such as 2026-11-28T17:00:00Z`, offset: true });

/** What the audit log says happened: sign-ins, sign-outs, refusals and every change the console started. */
export const AuditOutcome = z.enum(['success', 'failure', 'denied', 'accepted', 'succeeded', 'failed', 'cancelled']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditRecord = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({ id: z.string(), name: z.string() }),
    /** e.g. auth.login, auth.logout, access.denied, rotation.enable, secret.turn-off, workflow.succeeded. */
    action: z.string(),
    /** What it was about: a secret's ARN, a route, or `session`. */
    subject: z.string(),
    outcome: z.string(),
    sourceIp: z.string().nullable(),
    userAgent: z.string().nullable(),
    /** The state before and after (JSON), where there is one. Never a secret value or a token. */
    before: z.unknown(),
    after: z.unknown(),
    workflowId: z.string().nullable(),
    /** How many times it happened: the unauthenticated refusals of one address within a minute are one record; otherwise 1. */
    count: z.number().int().min(1),
  })
  .meta({ id: 'AuditRecord' });
export type AuditRecord = z.infer<typeof AuditRecord>;

export const AuditQuery = z.strictObject({
  actor: text('actor', 256).optional().meta({ description: "The actor's id or name, exactly." }),
  action: text('action', 128).optional().meta({ description: 'The action, exactly, or a prefix ending in a dot such as "auth.".' }),
  subject: text('subject', 2048).optional().meta({ description: 'Records whose subject (a secret ARN or name, a route) contains this text.' }),
  outcome: AuditOutcome.optional(),
  from: instant('from').optional().meta({ description: 'At or after this time.' }),
  to: instant('to').optional().meta({ description: 'Before this time.' }),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(200, 'limit must be at most 200').default(50),
  cursor: z.string().max(1024, 'cursor must be at most 1024 characters').optional().meta({ description: 'Opaque; the nextCursor of the previous page.' }),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z
  .object({
    /** Newest first. */
    items: z.array(AuditRecord),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPage>;
