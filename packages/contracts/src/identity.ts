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
