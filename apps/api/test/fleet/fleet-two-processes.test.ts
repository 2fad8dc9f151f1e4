// Several API processes on one PostgreSQL share the crawl of the targets (issue 14 item 3): each
// target is crawled by one process at a time, and a process that dies hands its targets over.
import { createInterface } from 'node:readline';
import { DashboardSummary } from '@rotation-console/contracts';
import { startApiProcess, type ApiProcess } from '@rotation-console/harness/api-process.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../src/platform/db/test-database.ts';
import { motoEndpoint, reset } from '../support/support.ts';
import { accountsFile, createSecretIn, readerRole } from './fleet-support.ts';

const ACCOUNTS = ['111200000001', '111200000002', '111200000003'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const SECRETS_PER_TARGET = 20;
const LEASE_MS = 2000;

interface CrawlEvent {
  process: 'a' | 'b';
  kind: 'started' | 'finished';
  target: string;
  crawler: string;
  at: number;
}

/** The crawl's log lines of one API process (pino JSON on its stdout). */
const watchCrawls = (api: ApiProcess, name: 'a' | 'b', events: CrawlEvent[], onEvent: (e: CrawlEvent) => void = () => undefined) => {
  createInterface({ input: api.child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const entry = JSON.parse(line) as { msg?: string; target?: string; crawler?: string; time: number };
    const kind = entry.msg === 'index crawl started' ? 'started' : entry.msg === 'index crawl finished' ? 'finished' : null;
    if (!kind || !entry.target || !entry.crawler) return;
    const event = { process: name, kind, target: entry.target, crawler: entry.crawler, at: entry.time } as const;
    events.push(event);
    onEvent(event);
  });
};

const until = async (what: string, done: () => boolean | Promise<boolean>, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('Two API processes crawling six targets on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  const events: CrawlEvent[] = [];

  beforeAll(async () => {
    await reset();
    const moto = motoEndpoint();
    const creates = ACCOUNTS.flatMap((account) =>
      REGIONS.flatMap((region) => Array.from({ length: SECRETS_PER_TARGET }, (_, i) => () => createSecretIn(moto, account, region, `two/${region}/db-${i}`))),
    );
    for (let i = 0; i < creates.length; i += 12) await Promise.all(creates.slice(i, i + 12).map((create) => create()));
    database = await createTestDatabase('postgres');
    const env = {
      AWS_ENDPOINT_URL: moto,
      DATABASE_URL: database.options.url!,
      ACCOUNTS_CONFIG: accountsFile({ accounts: ACCOUNTS.map((id) => ({ id, name: `team-${id.slice(-1)}`, roleArn: readerRole(id), regions: REGIONS })) }),
      INDEX_REFRESH_MS: '1000',
      INDEX_LEASE_MS: String(LEASE_MS),
      INDEX_TARGETS_AT_ONCE: '2',
      LOG_LEVEL: 'info',
    };
    [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('When both crawl, then no target is crawled by both at once; when one dies mid-crawl, the other takes its target over once the lease runs out and every target is fresh', async () => {
    // Arrange: both processes share the passes for a while.
    watchCrawls(b, 'b', events);
    let killedAt = 0;
    let orphan: string | null = null;
    let armed = false;
    watchCrawls(a, 'a', events, (e) => {
      // A dies in the middle of a target's crawl, holding its lease.
      if (armed && e.kind === 'started' && !orphan) {
        orphan = e.target;
        killedAt = Date.now();
        a.child.kill('SIGKILL');
      }
    });
    const finishedBy = (p: 'a' | 'b') => new Set(events.filter((e) => e.process === p && e.kind === 'finished').map((e) => e.target));
    await until(
      'both processes to crawl targets',
      () => finishedBy('a').size > 0 && finishedBy('b').size > 0 && new Set([...finishedBy('a'), ...finishedBy('b')]).size === 6,
    );

    // Act
    armed = true;
    await a.exited;
    await until('the other process to crawl the orphaned target', () =>
      events.some((e) => e.process === 'b' && e.kind === 'finished' && e.target === orphan && e.at > killedAt),
    );
    const summary = DashboardSummary.parse(await (await fetch(`${b.url}/api/v1/dashboard/summary`)).json());

    // Assert: per target, the crawls (start to finish; A's last one to its death) never overlap.
    for (const target of new Set(events.map((e) => e.target))) {
      const spans: { process: string; from: number; to: number }[] = [];
      const open = new Map<string, CrawlEvent>();
      for (const e of events.filter((x) => x.target === target).sort((x, y) => x.at - y.at)) {
        const started = open.get(e.crawler);
        if (e.kind === 'started') open.set(e.crawler, e);
        else if (started) {
          spans.push({ process: e.process, from: started.at, to: e.at });
          open.delete(e.crawler);
        }
      }
      for (const [, start] of open) if (start.process === 'a') spans.push({ process: 'a', from: start.at, to: killedAt });
      spans.sort((x, y) => x.from - y.from);
      for (let i = 1; i < spans.length; i++)
        expect(spans[i]!.from, `${target}: ${JSON.stringify(spans.slice(i - 1, i + 1))}`).toBeGreaterThanOrEqual(spans[i - 1]!.to);
    }
    // The dead process's lease held its target until it ran out.
    const takeover = events.find((e) => e.process === 'b' && e.kind === 'started' && e.target === orphan && e.at > killedAt)!;
    expect(takeover.at - killedAt).toBeGreaterThan(LEASE_MS / 2);
    expect(summary.total).toBe(ACCOUNTS.length * REGIONS.length * SECRETS_PER_TARGET);
    expect(summary.freshness.targets.map((t) => t.secretsIndexed)).toEqual(Array(6).fill(SECRETS_PER_TARGET));
    expect(summary.byAccount.map((g) => [g.key, g.total])).toEqual(ACCOUNTS.map((id) => [id, REGIONS.length * SECRETS_PER_TARGET]));
  });
});
