// `pnpm bench fleet`: the console across a fleet (issue 14) against the AWS CLI loop an operator
// would script. One moto server (a free 127.0.0.1 port) holds 20 accounts x 3 regions x 200 secrets
// = 12,000 secrets (CreateSecret, SEED_AT_ONCE at once, in each account through moto's account
// header). Then:
//   1. the CLI loop: one bash script that, for each of the 60 targets, runs `aws sts assume-role`
//      of the account's RotationConsoleReader role, exports the credentials it returns and runs
//      `aws secretsmanager list-secrets --region <r>` (the CLI paginates by itself), counting the
//      secrets; wall clock of the whole loop;
//   2. the console's crawl of the same targets: the API (its own process, free port, accounts file,
//      empty DATA_DIR) from its spawn until every target's 'index crawl finished' line is out and the
//      summary says every target ready with 12,000 secrets, minus its boot (spawn to
//      /api/v1/health 200): crawl_s;
//   3. the first page (limit=25) and the summary, 200 sequential requests each (median, p99, and the
//      three slowest with their places in the run), as the dashboard bench does; the API's RSS after
//      the crawl, after the first-page requests and at the end (the figure of the JSON line).
// Ends with one JSON line. BENCH_FLEET_TARGETS_AT_ONCE sets the API's INDEX_TARGETS_AT_ONCE (default:
// the API's own, 4); BENCH_FLEET_TIMEOUT_S bounds the whole run (default 1800 s): past it, moto, the
// API and the CLI loop are killed and the bench exits 3.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AccountsConfig, DashboardPage, DashboardSummary } from '@rotation-console/contracts';
import { startApiProcess, type ApiProcess } from '@rotation-console/harness/api-process.ts';
import { inMotoAccount } from '@rotation-console/harness/aws.ts';
import { startMoto, type MotoServer } from '@rotation-console/harness/moto.ts';
import { boundedRun } from './bounded-run.ts';
import { inParallel, memoryOf, round1, seconds, timeRequests, type Latency } from './measure.ts';
import { again } from './moto-retry.ts';

const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(111_100_000_001 + i));
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const PER_TARGET = 200;
const TARGETS = ACCOUNTS.length * REGIONS.length;
const SECRETS = TARGETS * PER_TARGET;
const SEED_AT_ONCE = 16;
const REQUESTS = 200;
const TEAMS = ['payments', 'identity', 'analytics', 'search', 'billing', 'growth', 'platform', 'data'];
const ENGINES = ['postgres', 'mysql', 'mariadb'];
const TIMEOUT_S = Number(process.env.BENCH_FLEET_TIMEOUT_S ?? 1800);
const TARGETS_AT_ONCE = process.env.BENCH_FLEET_TARGETS_AT_ONCE;
const readerRole = (account: string) => `arn:aws:iam::${account}:role/RotationConsoleReader`;

// --- Everything this bench starts, killed at the end, on a signal, or past the deadline -----------

const {
  track,
  tempDir,
  end: endRun,
} = boundedRun({
  name: 'fleet',
  timeoutS: TIMEOUT_S,
  timeoutVariable: 'BENCH_FLEET_TIMEOUT_S',
  started: 'moto, the API and the CLI loop',
});
let moto: MotoServer | undefined;
let api: ApiProcess | undefined;

/** A port nothing listens on now (the API's, so its health can be polled from its spawn). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

// --- 1. Seeding ----------------------------------------------------------------------------------

const seed = async (endpoint: string) => {
  const clients = new Map<string, SecretsManagerClient>();
  const clientOf = (account: string, region: string) => {
    const key = `${account}:${region}`;
    let client = clients.get(key);
    if (!client) {
      client = inMotoAccount(new SecretsManagerClient({ endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } }), account);
      clients.set(key, client);
    }
    return client;
  };
  // Secret i: target i / PER_TARGET (accounts in turn, each in its three regions), a team and an engine tag.
  await inParallel(0, SECRETS, SEED_AT_ONCE, async (i) => {
    const target = Math.floor(i / PER_TARGET);
    const account = ACCOUNTS[Math.floor(target / REGIONS.length)]!;
    const region = REGIONS[target % REGIONS.length]!;
    const team = TEAMS[i % TEAMS.length]!;
    const engine = ENGINES[i % ENGINES.length]!;
    await again(() =>
      clientOf(account, region).send(
        new CreateSecretCommand({
          Name: `fleet/${team}/app-${String(i % PER_TARGET).padStart(3, '0')}`,
          SecretString: JSON.stringify({ engine, host: `${team}-${i}.db.internal`, username: 'app', password: 'bench-only', port: 5432 }),
          Tags: [
            { Key: 'team', Value: team },
            { Key: 'engine', Value: engine },
          ],
        }),
      ),
    );
  });
  for (const client of clients.values()) client.destroy();
};

// --- 2. The CLI loop -----------------------------------------------------------------------------

/** The loop as an operator would script it; prints `<account> <region> <count>` per target, then `total <n>`. */
const cliScript = `#!/usr/bin/env bash
set -euo pipefail
endpoint="$1"
total=0
for account in ${ACCOUNTS.join(' ')}; do
  for region in ${REGIONS.join(' ')}; do
    creds=$(aws sts assume-role --role-arn "arn:aws:iam::\${account}:role/RotationConsoleReader" --role-session-name bench \\
      --endpoint-url "$endpoint" --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
    read -r key secret token <<<"$creds"
    count=$(
      export AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" AWS_SESSION_TOKEN="$token"
      aws secretsmanager list-secrets --region "$region" --endpoint-url "$endpoint" --query 'length(SecretList)' --output json
    )
    echo "$account $region $count"
    total=$((total + count))
  done
done
echo "total $total"
`;

const cliLoop = (endpoint: string) =>
  new Promise<{ ms: number; total: number; perTarget: number[] }>((resolve, reject) => {
    const dir = tempDir('rc-bench-fleet-cli-');
    const script = path.join(dir, 'cli-loop.sh');
    writeFileSync(script, cliScript, { mode: 0o755 });
    const started = performance.now();
    const child = track(
      spawn('bash', [script, endpoint], {
        // Its own process group, so the deadline kills the aws process it waits for too.
        detached: true,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_SESSION_TOKEN: '',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_PAGER: '',
          // No profile or setting of this machine's user changes what the CLI does.
          AWS_CONFIG_FILE: path.join(dir, 'no-config'),
          AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
      { group: true },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`the CLI loop failed (${code}): ${stderr.trim()}`));
      const lines = stdout.trim().split('\n');
      const total = Number(/^total (\d+)$/.exec(lines.at(-1) ?? '')?.[1] ?? NaN);
      resolve({ ms, total, perTarget: lines.slice(0, -1).map((l) => Number(l.split(' ')[2])) });
    });
  });

// --- 3. The console's crawl ----------------------------------------------------------------------

interface CrawlLine {
  time: number;
  msg: string;
  target?: string;
  ms?: number;
  pages?: number;
  retries?: number;
  total?: number;
  error?: string;
}

const summaryOf = async (url: string) => (await (await fetch(`${url}/api/v1/dashboard/summary`)).json()) as DashboardSummary;
const allReady = (s: DashboardSummary) =>
  s.total === SECRETS && s.freshness.targets.length === TARGETS && s.freshness.targets.every((t) => t.state === 'ready');

/**
 * Starts the API on an empty DATA_DIR and times it: boot (spawn to /api/v1/health 200) and ready
 * (spawn to the last target's 'index crawl finished' line, checked against the summary: 60 targets
 * ready, 12,000 secrets; if the summary lags the line, the first summary that says so).
 */
const startAndCrawl = async (endpoint: string) => {
  const accountsFile = path.join(tempDir('rc-bench-fleet-accounts-'), 'accounts.json');
  const accounts: AccountsConfig = { accounts: ACCOUNTS.map((id, i) => ({ id, name: `fleet-${i + 1}`, roleArn: readerRole(id), regions: REGIONS })) };
  writeFileSync(accountsFile, JSON.stringify(accounts));
  const port = await freePort();
  const finished: CrawlLine[] = [];
  let listening: CrawlLine | undefined;
  let lastFinishedAt = 0;
  let failure: string | undefined;
  let allFinished: () => void = () => undefined;
  const crawlDone = new Promise<void>((resolve) => (allFinished = resolve));
  const onLine = (line: string) => {
    if (!line.startsWith('{')) return;
    const entry = JSON.parse(line) as CrawlLine;
    if (entry.msg === 'listening') listening = entry;
    else if (entry.msg === 'index crawl finished') {
      finished.push(entry);
      if (finished.length === TARGETS) {
        lastFinishedAt = performance.now();
        allFinished();
      }
    } else if (entry.msg.startsWith('index crawl failed')) {
      failure ??= `${entry.target ?? 'the targets'}: ${entry.error}`;
      allFinished();
    }
  };

  const spawned = performance.now();
  let booted = 0;
  const health = (async () => {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return (booted = performance.now());
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  api = await startApiProcess(
    {
      PORT: String(port),
      AWS_ENDPOINT_URL: endpoint,
      ACCOUNTS_CONFIG: accountsFile,
      AUTH_MODE: 'local',
      DATA_DIR: tempDir('rc-bench-fleet-data-'),
      LOG_LEVEL: 'info',
      INDEX_REFRESH_MS: '3600000',
      ...(TARGETS_AT_ONCE ? { INDEX_TARGETS_AT_ONCE: TARGETS_AT_ONCE } : {}),
    },
    { onSpawn: (child) => track(child), onLine },
  );
  await health;
  await Promise.race([crawlDone, api.exited.then((code) => (failure ??= `the API exited (${code}) during its crawl`))]);
  if (failure) throw new Error(`crawl failed: ${failure}`);
  let readyAt = lastFinishedAt;
  let summary = await summaryOf(api.url);
  for (let tries = 0; !allReady(summary); tries++) {
    if (tries >= 300)
      throw new Error(`the index says ${summary.total} secrets, ${summary.freshness.targets.filter((t) => t.state === 'ready').length} targets ready`);
    await new Promise((r) => setTimeout(r, 100));
    summary = await summaryOf(api.url);
    readyAt = performance.now();
  }
  const perTargetMs = finished.map((f) => f.ms ?? 0).sort((a, b) => a - b);
  const apiSpanMs = Math.max(...finished.map((f) => f.time)) - (listening?.time ?? NaN);
  return {
    bootMs: booted - spawned,
    readyMs: readyAt - spawned,
    crawlMs: readyAt - booted,
    apiSpanMs,
    perTargetMs,
    pages: finished.reduce((n, f) => n + (f.pages ?? 0), 0),
    retries: finished.reduce((n, f) => n + (f.retries ?? 0), 0),
  };
};

// --- The run -------------------------------------------------------------------------------------

const ms1 = (n: number) => n.toFixed(1);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

let exitCode = 1;
try {
  console.log(`bench fleet: ${ACCOUNTS.length} accounts x ${REGIONS.length} regions x ${PER_TARGET} secrets; load average ${load()} at start`);
  moto = await startMoto();
  track(moto.process);
  console.log(`moto ${moto.endpoint}`);

  const seedStarted = performance.now();
  await seed(moto.endpoint);
  console.log(`seeded ${SECRETS} secrets in ${seconds(performance.now() - seedStarted)} s (${SEED_AT_ONCE} CreateSecret at once)`);

  const cli = await cliLoop(moto.endpoint);
  const wrong = cli.perTarget.filter((n) => n !== PER_TARGET).length;
  if (cli.total !== SECRETS || cli.perTarget.length !== TARGETS || wrong > 0)
    throw new Error(`the CLI loop counted ${cli.total} secrets over ${cli.perTarget.length} targets (${wrong} not ${PER_TARGET})`);
  console.log(
    `CLI loop: ${seconds(cli.ms)} s for ${TARGETS} targets (${cli.total} secrets; ${TARGETS * 2} aws runs, ${ms1(cli.ms / (TARGETS * 2))} ms each on average)`,
  );

  const crawl = await startAndCrawl(moto.endpoint);
  const afterCrawl = memoryOf(api!.child.pid!);
  const median = crawl.perTargetMs[Math.floor(crawl.perTargetMs.length / 2)]!;
  console.log(
    `console: boot ${seconds(crawl.bootMs)} s (spawn to /api/v1/health 200), ready ${seconds(crawl.readyMs)} s after spawn: crawl ${seconds(crawl.crawlMs)} s ` +
      `(API's own log: ${seconds(crawl.apiSpanMs)} s from listening to the last target's finish); ${TARGETS_AT_ONCE ?? 'default (4)'} targets at once; ` +
      `${crawl.pages} pages, ${crawl.retries} retries; a target took ${seconds(crawl.perTargetMs[0]!)} / ${seconds(median)} / ${seconds(crawl.perTargetMs.at(-1)!)} s (min / median / max)`,
  );

  const pageUrl = `${api!.url}/api/v1/dashboard/secrets?limit=25`;
  const page = (await (await fetch(pageUrl)).json()) as DashboardPage;
  if (page.total !== SECRETS || page.items.length !== 25) throw new Error(`first page: ${page.items.length} of ${page.total}`);
  const firstPage: Latency = await timeRequests(pageUrl, REQUESTS);
  const afterFirstPage = memoryOf(api!.child.pid!);
  const summary: Latency = await timeRequests(`${api!.url}/api/v1/dashboard/summary`, REQUESTS);
  const memory = memoryOf(api!.child.pid!);
  const slowest = (l: Latency) => l.slowest.map((s) => `${ms1(s.ms)} ms (#${s.at})`).join(', ');
  console.log(`first page (limit=25), ${REQUESTS} sequential: median ${ms1(firstPage.median)} ms, p99 ${ms1(firstPage.p99)} ms; slowest ${slowest(firstPage)}`);
  console.log(`summary, ${REQUESTS} sequential: median ${ms1(summary.median)} ms, p99 ${ms1(summary.p99)} ms; slowest ${slowest(summary)}`);
  console.log(
    `API RSS ${memory.rssMb} MB (peak ${memory.peakMb} MB); after the crawl ${afterCrawl.rssMb} MB, after the first-page requests ${afterFirstPage.rssMb} MB; load average ${load()} at end`,
  );

  const ratio = crawl.crawlMs / cli.ms;
  console.log(`goal crawl <= 0.5 x CLI loop: ${ratio.toFixed(3)} x, ${met(ratio <= 0.5)}`);
  console.log(`goal first page p99 <= 50 ms: ${met(firstPage.p99 <= 50)}; summary p99 <= 50 ms: ${met(summary.p99 <= 50)}`);
  console.log(`goal RSS <= 300 MB: ${met(memory.rssMb <= 300)}`);
  console.log(
    JSON.stringify({
      bench: 'fleet',
      targets: TARGETS,
      secrets: SECRETS,
      cli_loop_s: seconds(cli.ms),
      crawl_s: seconds(crawl.crawlMs),
      first_page_p99_ms: round1(firstPage.p99),
      summary_p99_ms: round1(summary.p99),
      rss_mb: memory.rssMb,
    }),
  );
  exitCode = 0;
} catch (error) {
  console.error(`bench fleet: ${(error as Error).message}`);
} finally {
  await api?.stop().catch(() => undefined);
  await moto?.stop().catch(() => undefined);
  endRun();
}
process.exit(exitCode);
