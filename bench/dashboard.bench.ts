// `pnpm bench dashboard`: the rotation status dashboard at 1,000, 10,000 and 50,000 secrets,
// in one run against one moto server (secrets are added to reach each size). For each size:
// (a) the AWS CLI's own full `list-secrets` pass (it paginates itself); (b) the console's crawl
// of the same account, from an API process started on an empty DATA_DIR until its index is
// ready (its own timing, from the crawl's start); best of two rounds of (a) then (b);
// (c) the first page and the summary, 200 sequential requests each (median, p99); (d) the API
// process's RSS. Prints a table and ends with one JSON line per size.
// BENCH_SIZES=1000,5000 runs other sizes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CreateSecretCommand, PutSecretValueCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { DashboardPage, DashboardSummary } from '@rotation-console/contracts';
import { startApiProcess, type ApiProcess } from '@rotation-console/harness/api-process.ts';
import { ensureEmulatorCredentials, harnessClients } from '@rotation-console/harness/aws.ts';
import { startMoto } from '@rotation-console/harness/moto.ts';
import { inParallel, memoryOf, round1, seconds, timeRequests } from './measure.ts';
import { again } from './moto-retry.ts';

ensureEmulatorCredentials();
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const CONCURRENCY = 32;
const REQUESTS = 200;
const ROUNDS = 2;
const TEAMS = ['payments', 'identity', 'analytics', 'search', 'billing', 'growth', 'platform', 'data', 'mobile', 'web'];
const ENGINES = ['postgres', 'mysql', 'mariadb'];
const DAY_S = 86_400;

const moto = await startMoto();
const aws = harnessClients(moto.endpoint);
const sm = aws.secretsManager;

// Concurrent writes make moto answer 500 now and then (see moto-retry.ts); the rotation states
// are set in a second phase, once no secret is being added.

/**
 * Secret i: a team and an engine tag (every 20th has no engine tag), and a rotation state.
 * Rotation is made cheap on moto: RotateSecret without a function (moto moves AWSCURRENT at once),
 * the harness's backdating for overdue ones, and AWSPENDING on a second version for stuck ones.
 */
const nameOf = (i: number) => `bench/${TEAMS[i % TEAMS.length]}/app-${String(i).padStart(6, '0')}`;

const createOne = async (i: number) => {
  const tags = [{ Key: 'team', Value: TEAMS[i % TEAMS.length]! }, ...(i % 20 === 19 ? [] : [{ Key: 'engine', Value: ENGINES[i % ENGINES.length]! }])];
  await again(() =>
    sm.send(
      new CreateSecretCommand({
        Name: nameOf(i),
        SecretString: JSON.stringify({ engine: 'postgres', host: 'db', username: `u${i}`, password: `p-${i}` }),
        Tags: tags,
      }),
    ),
  );
};

const stateOne = async (i: number) => {
  const name = nameOf(i);
  const kind = i % 10;
  if (kind <= 3) {
    const days = [30, 60, 90][i % 3]!;
    await again(() => sm.send(new RotateSecretCommand({ SecretId: name, RotationRules: { AutomaticallyAfterDays: days } })));
    if (kind === 3 && i % 50 === 3) {
      const now = Math.floor(Date.now() / 1000);
      await fetch(new URL('/moto-api/harness/rotation-dates', moto.endpoint), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secretId: name, lastRotatedDate: now - (days + 10) * DAY_S, nextRotationDate: now - 10 * DAY_S }),
      });
    }
  } else if (kind === 4 && i % 100 === 4) {
    await again(() => sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: '{"pending":true}', VersionStages: ['AWSPENDING'] })));
  }
};

let seeded = 0;
const seedTo = async (size: number) => {
  await inParallel(seeded, size, CONCURRENCY, createOne);
  await inParallel(seeded, size, CONCURRENCY, stateOne);
  seeded = size;
};

/** The AWS CLI's full pass: `aws secretsmanager list-secrets` paginates to the end by itself. */
const cliListPass = () =>
  new Promise<number>((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', `aws secretsmanager list-secrets --endpoint-url ${moto.endpoint} --output json > /dev/null`], {
      env: { ...process.env, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`aws list-secrets failed (${code}): ${stderr}`))));
  });

/** The API on an empty data folder; resolves with the crawl's own timing once its index is ready. */
const startAndCrawl = async (dataDir: string) => {
  const spawned = performance.now();
  const api = await startApiProcess({ AWS_ENDPOINT_URL: moto.endpoint, DATA_DIR: dataDir, LOG_LEVEL: 'info', INDEX_REFRESH_MS: '3600000' });
  const crawl = await new Promise<{ ms: number; pages: number; secrets: number; retries: number }>((resolve, reject) => {
    api.child.once('exit', () => reject(new Error('the API exited before its crawl finished')));
    createInterface({ input: api.child.stdout! }).on('line', (line) => {
      if (!line.includes('index crawl')) return;
      const entry = JSON.parse(line) as { msg: string; ms: number; pages: number; secrets: number; retries: number; error?: string };
      if (entry.msg === 'index crawl finished') resolve(entry);
      if (entry.msg.startsWith('index crawl failed')) reject(new Error(`crawl failed: ${entry.error}`));
    });
  });
  return { api, crawl, wallMs: performance.now() - spawned };
};

interface Result {
  secrets: number;
  seedS: number;
  cliS: number;
  cliRunsS: number[];
  crawlRunsS: number[];
  rssAfterCrawlMb: number;
  crawlS: number;
  crawlWallS: number;
  pages: number;
  firstPage: { median: number; p99: number; max: number };
  summary: { median: number; p99: number; max: number };
  summaryColdMs: number;
  rssMb: number;
  peakMb: number;
}
const results: Result[] = [];

try {
  for (const size of SIZES) {
    const seedStarted = performance.now();
    await seedTo(size);
    const seedMs = performance.now() - seedStarted;
    process.stderr.write(`seeded ${size} secrets in ${seconds(seedMs)} s\n`);

    // Best of two rounds, each the CLI's pass then the console's crawl from an empty index: the
    // machine is shared, and moto's speed drifts between passes.
    const cliRuns: number[] = [];
    const crawlRuns: number[] = [];
    const dataDirs: string[] = [];
    let api: ApiProcess | undefined;
    try {
      let started: Awaited<ReturnType<typeof startAndCrawl>> | undefined;
      let afterCrawl: ReturnType<typeof memoryOf> | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        cliRuns.push(await cliListPass());
        process.stderr.write(`  aws list-secrets: ${seconds(cliRuns.at(-1)!)} s\n`);
        await api?.stop();
        dataDirs.push(mkdtempSync(path.join(tmpdir(), 'rc-bench-dashboard-')));
        started = await startAndCrawl(dataDirs.at(-1)!);
        api = started.api;
        crawlRuns.push(started.crawl.ms);
        afterCrawl = memoryOf(api.child.pid!);
        process.stderr.write(`  console crawl: ${seconds(started.crawl.ms)} s (${started.crawl.pages} pages, ${started.crawl.retries} retries)\n`);
      }
      if (!started || !api || !afterCrawl) throw new Error('no round ran');

      const summaryUrl = `${api.url}/api/v1/dashboard/summary`;
      const coldStarted = performance.now();
      const summary = (await (await fetch(summaryUrl)).json()) as DashboardSummary;
      const summaryColdMs = performance.now() - coldStarted;
      if (summary.total !== size || summary.freshness.source !== 'index')
        throw new Error(`summary says ${summary.total} secrets from ${summary.freshness.source}`);
      const pageUrl = `${api.url}/api/v1/dashboard/secrets?limit=25`;
      const page = (await (await fetch(pageUrl)).json()) as DashboardPage;
      if (page.total !== size || page.items.length !== 25) throw new Error(`first page: ${page.items.length} of ${page.total}`);

      const firstPage = await timeRequests(pageUrl, REQUESTS);
      const summaryTimes = await timeRequests(summaryUrl, REQUESTS);
      const memory = memoryOf(api.child.pid!);
      results.push({
        secrets: size,
        seedS: seconds(seedMs),
        cliS: seconds(Math.min(...cliRuns)),
        cliRunsS: cliRuns.map(seconds),
        rssAfterCrawlMb: afterCrawl.rssMb,
        crawlS: seconds(Math.min(...crawlRuns)),
        crawlRunsS: crawlRuns.map(seconds),
        crawlWallS: seconds(started.wallMs),
        pages: started.crawl.pages,
        firstPage,
        summary: summaryTimes,
        summaryColdMs,
        ...memory,
      });
    } finally {
      await api?.stop();
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    }
  }

  const ms = (n: number) => n.toFixed(1);
  console.log('');
  console.log(
    'secrets | aws CLI list-secrets, best (runs) | console crawl, best (runs; last wall) | crawl/CLI | first page median / p99 | summary median / p99 (cold) | RSS after crawl, after requests (peak)',
  );
  for (const r of results) {
    console.log(
      `${String(r.secrets).padStart(7)} | ${`${r.cliS} s (${r.cliRunsS.join(', ')})`.padStart(33)} | ${`${r.crawlS} s (${r.crawlRunsS.join(', ')}; ${r.crawlWallS} s)`.padStart(37)} | ${(r.crawlS / r.cliS).toFixed(2).padStart(9)} | ${`${ms(r.firstPage.median)} / ${ms(r.firstPage.p99)} ms`.padStart(23)} | ${`${ms(r.summary.median)} / ${ms(r.summary.p99)} ms (${ms(r.summaryColdMs)})`.padStart(27)} | ${r.rssAfterCrawlMb} MB, ${r.rssMb} MB (${r.peakMb} MB)`,
    );
  }
  console.log('goals: crawl <= 1.1 x the CLI pass; first page and summary p99 <= 50 ms; RSS < 300 MB at 50,000 (seeding: 32 CreateSecret at a time)');
  for (const r of results) {
    console.log(
      JSON.stringify({
        bench: 'dashboard',
        secrets: r.secrets,
        cli_list_s: r.cliS,
        crawl_s: r.crawlS,
        first_page_p99_ms: round1(r.firstPage.p99),
        summary_p99_ms: round1(r.summary.p99),
        rss_mb: r.rssMb,
      }),
    );
  }
} finally {
  await moto.stop();
}
