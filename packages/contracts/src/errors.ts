import { z } from 'zod';

/** Every error the API answers with has this body. */
export const ErrorCode = z.enum([
  'invalid_input',
  'not_found',
  'not_allowed',
  'unauthenticated',
  'conflict',
  /** A cookie-session request without the CSRF token of GET /api/v1/csrf-token (or with a wrong one). */
  'csrf_rejected',
  /** Too many sign-in attempts from one address; Retry-After says when to try again. */
  'rate_limited',
  /** The request body is larger than the API accepts. */
  'too_large',
  'upstream_error',
  'upstream_unavailable',
  'upstream_timeout',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldError = z.object({
  path: z.string().meta({ description: 'The field, dotted, e.g. "limit" or "rotation.days".' }),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldError>;

export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      details: z.array(FieldError).optional(),
    }),
    requestId: z.string(),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;
