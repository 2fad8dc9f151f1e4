// The console served with a fleet of secrets: moto (through the harness launcher), N secrets created
// with ~32 calls in flight, the API serving the built web app, and its dashboard index ready.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { DashboardPage, DashboardSummary } from '@rotation-console/contracts';
import { startApiProcess, type ApiProcess } from '@rotation-console/harness/api-process.ts';
import { ensureEmulatorCredentials, harnessClients } from '@rotation-console/harness/aws.ts';
import { startMoto, type MotoServer } from '@rotation-console/harness/moto.ts';
import { again } from '../moto-retry.ts';

const TEAMS = ['payments', 'identity', 'analytics', 'search', 'orders', 'billing', 'platform', 'growth'];
const ENGINES = ['postgres', 'mysql', 'mariadb'];

export interface Fleet {
  url: string;
  seedMs: number;
  indexMs: number;
  stop(): Promise<void>;
}

/** Creates `count` database secrets, tagged with a team and an engine, `inFlight` calls at a time. */
const seed = async (endpoint: string, count: number, inFlight: number) => {
  const { secretsManager } = harnessClients(endpoint);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const team = TEAMS[i % TEAMS.length]!;
      const engine = ENGINES[i % ENGINES.length]!;
      const name = `${team}/${engine}/app-${String(i).padStart(5, '0')}`;
      await again(() =>
        secretsManager.send(
          new CreateSecretCommand({
            Name: name,
            SecretString: JSON.stringify({ engine, host: `${team}-${i}.db.internal`, username: 'app', password: 'bench-only', port: 5432 }),
            Tags: [
              { Key: 'team', Value: team },
              { Key: 'engine', Value: engine },
            ],
          }),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
};

const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

/** Polls the summary until the index holds every secret (the first crawl has finished). */
const waitForIndex = async (api: string, count: number, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const summary = await getJson<DashboardSummary>(`${api}/api/v1/dashboard/summary`);
    if (summary.freshness.state === 'ready' && summary.freshness.source === 'index' && summary.total >= count) return summary;
    if (Date.now() > deadline) throw new Error(`the dashboard index was not ready in ${timeoutMs} ms: ${JSON.stringify(summary.freshness)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

export const startFleet = async ({ count, webDist }: { count: number; webDist: string }): Promise<Fleet> => {
  ensureEmulatorCredentials();
  let moto: MotoServer | undefined;
  let api: ApiProcess | undefined;
  try {
    moto = await startMoto();
    const seedStarted = performance.now();
    await seed(moto.endpoint, count, 32);
    const seedMs = performance.now() - seedStarted;
    const indexStarted = performance.now();
    api = await startApiProcess({
      AWS_ENDPOINT_URL: moto.endpoint,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rc-bench-web-')),
      WEB_DIST: webDist,
      INDEX_REFRESH_MS: '3600000',
    });
    await waitForIndex(api.url, count, 300_000);
    const indexMs = performance.now() - indexStarted;
    const started = { moto, api };
    return {
      url: api.url,
      seedMs,
      indexMs,
      stop: async () => {
        await started.api.stop();
        await started.moto.stop();
      },
    };
  } catch (error) {
    await api?.stop();
    await moto?.stop();
    throw error;
  }
};

/** The dashboard's first page as the console asks for it (25 rows by name), for the floor page. */
export const firstPage = async (url: string): Promise<DashboardPage> =>
  getJson<DashboardPage>(`${url}/api/v1/dashboard/secrets?offset=0&limit=25&sort=name&order=asc`);
