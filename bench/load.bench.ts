// `pnpm bench load`: the console under load, signed in, beside a bare Express route.
// Starts moto with the demo account (37 secrets), the demo OpenID provider and the API
// (AUTH_MODE=oidc, its own process) on free 127.0.0.1 ports, signs alice (admin) in through
// the provider's login form, waits for the dashboard's index, then runs autocannon
// (BENCH_LOAD_CONNECTIONS=100 connections for BENCH_LOAD_SECONDS=30 s each, in this process), after
// a warm-up of WARM_UP_SECONDS on the two routes together, not counted (the JIT compiles the shared
// code, sign-in checks and Express, in the first seconds: the first run measured paid for it):
//   1. the secrets list (GET /api/v1/secrets: from the console's index, as the dashboard; no AWS call);
//   2. the dashboard summary (GET /api/v1/dashboard/summary: from the console's own index);
//   3. both together (each connection alternates the two): the headline figures;
//   4. a bare Express app with one JSON route, its own process (bench/load/bare-server.ts).
// Errors are connection errors, timeouts and non-2xx answers. Prints one JSON line per run,
// then {"bench":"load","rps":…,"p99_ms":…,"errors":…,"bare_rps":…}.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { DashboardSummary } from '@rotation-console/contracts';
import { startOidcConsole } from '@rotation-console/harness/oidc-console.ts';
import { sessionCookieHeader } from '@rotation-console/harness/oidc/browser.ts';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 100);
const WARM_UP_SECONDS = 10;

/** The bare Express app in its own process; resolves once it listens. */
const startBare = () =>
  new Promise<{ url: string; stop(): void }>((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./load/bare-server.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /bare listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve({ url: match[1]!, stop: () => child.kill('SIGTERM') });
    });
  });

/** Until the dashboard answers from its index (the first crawl is done). */
const waitForIndex = async (url: string, cookie: string) => {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/api/v1/dashboard/summary`, { headers: { cookie } });
    if (res.ok && ((await res.json()) as DashboardSummary).freshness.state === 'ready') return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the dashboard index was not ready within 120 s');
};

interface Figures {
  run: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  errors: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

const load = async (run: string, url: string, paths: string[], headers: Record<string, string> = {}, seconds = SECONDS): Promise<Figures> => {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    // One path per request, in turn on every connection.
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  const figures = {
    run,
    rps: round1(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
  };
  console.log(
    `${run.padEnd(22)} ${String(figures.rps).padStart(8)} req/s   p50 ${String(figures.p50_ms).padStart(5)} ms   p99 ${String(figures.p99_ms).padStart(5)} ms   ${figures.requests} requests, ${figures.errors} errors (${result.timeouts} timeouts, ${result.non2xx} non-2xx)`,
  );
  return figures;
};

const stack = await startOidcConsole();
const bare = await startBare().catch(async (error: unknown) => {
  await stack.stop();
  throw error;
});
let exitCode = 1;
try {
  const cookie = await sessionCookieHeader(stack.url, 'alice');
  await waitForIndex(stack.url, cookie);
  console.log(`${CONNECTIONS} connections, ${SECONDS} s a run, signed in as alice; API ${stack.url}, moto ${stack.motoEndpoint}`);
  const signedIn = { cookie };
  await load('warm-up (not counted)', stack.url, ['/api/v1/secrets', '/api/v1/dashboard/summary'], signedIn, WARM_UP_SECONDS);
  const secrets = await load('secrets list', stack.url, ['/api/v1/secrets'], signedIn);
  const summary = await load('dashboard summary', stack.url, ['/api/v1/dashboard/summary'], signedIn);
  const both = await load('list + summary', stack.url, ['/api/v1/secrets', '/api/v1/dashboard/summary'], signedIn);
  const floor = await load('bare express', bare.url, ['/bare']);
  for (const figures of [secrets, summary, both, floor]) console.log(JSON.stringify({ bench: 'load', ...figures }));
  console.log(
    JSON.stringify({
      bench: 'load',
      rps: both.rps,
      p99_ms: both.p99_ms,
      errors: both.errors,
      bare_rps: floor.rps,
      secrets_rps: secrets.rps,
      secrets_p99_ms: secrets.p99_ms,
      secrets_errors: secrets.errors,
      summary_rps: summary.rps,
      summary_p99_ms: summary.p99_ms,
      summary_errors: summary.errors,
      bare_p99_ms: floor.p99_ms,
      bare_errors: floor.errors,
      connections: CONNECTIONS,
      seconds: SECONDS,
    }),
  );
  exitCode = 0;
} catch (error) {
  console.error(`bench load: ${(error as Error).message}`);
} finally {
  bare.stop();
  await stack.stop();
}
process.exit(exitCode);
