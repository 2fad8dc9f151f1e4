import { z } from 'zod';
import { Role } from './permissions.ts';

/** GET /api/v1/me: who the request runs as, for the web app to show and to hide what the policy refuses. */
export const Me = z
  .object({
    id: z.string(),
    name: z.string(),
    roles: z.array(Role),
    teams: z.array(z.string()),
    authMode: z.enum(['local', 'oidc']),
    /** How this request was authenticated. */
    via: z.enum(['local', 'session', 'bearer']),
    /** When the session ends (ISO 8601), for a session. */
    sessionExpiresAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

/** GET /api/v1/csrf-token: the token a cookie session sends in `X-CSRF-Token` on every POST; null where none is needed (AUTH_MODE=local). */
export const CsrfToken = z
  .object({
    token: z.string().nullable(),
    header: z.literal('x-csrf-token'),
  })
  .meta({ id: 'CsrfToken' });
export type CsrfToken = z.infer<typeof CsrfToken>;
