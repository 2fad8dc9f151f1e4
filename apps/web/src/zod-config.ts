// The API's Content-Security-Policy allows no 'unsafe-eval'. zod compiles a fast path for
// objects with `new Function` when it can; under the policy that attempt is refused and
// reported as a CSP violation. Turned off here, before any schema is built (imported first
// by main.tsx); parsing gives the same results without it.
//
// Set without importing zod: the landing page loads no zod, and zod keeps its configuration in
// `globalThis.__zod_globalConfig`, adopting the object it finds there when it loads (as
// `z.config({ jitless: true })` would set it).
const holder = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
holder.__zod_globalConfig = { ...holder.__zod_globalConfig, jitless: true };
