import { z } from 'zod';

// The API's Content-Security-Policy allows no 'unsafe-eval'. zod compiles a fast path for
// objects with `new Function` when it can; under the policy that attempt is refused and
// reported as a CSP violation. Turned off here, before any schema is built (imported first
// by main.tsx); parsing gives the same results without it.
z.config({ jitless: true });
