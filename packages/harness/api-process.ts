import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EMULATOR_AWS_TIMEOUT_MS } from './aws.ts';

const SERVER = fileURLToPath(new URL('../../apps/api/src/server.ts', import.meta.url));

/**
 * How the API's process is started, here, by `pnpm start` and in docs/deployment.md: V8's young
 * space capped at 4 MB a semi-space. Without it V8 keeps growing the young space it reserves as
 * requests come (RSS 327 MB after the fleet bench's 12,000 secrets and 400 reads, the live heap
 * 33-39 MB); with it 206 MB, and the reads' p99 no slower (docs/benchmarks.md, fleet).
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=4'] as const;

export interface ApiProcess {
  url: string;
  /**
   * What the web app sends with every POST: with AUTH_MODE=local, the CSRF token of
   * GET /api/v1/csrf-token and its cookie; empty where that needs a sign-in (oidc).
   */
  changeHeaders: Record<string, string>;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const changeHeadersOf = async (url: string): Promise<Record<string, string>> => {
  const res = await fetch(`${url}/api/v1/csrf-token`);
  if (!res.ok) return {};
  const { token, header } = (await res.json()) as { token: string | null; header: string };
  if (token === null) return {};
  return {
    [header]: token,
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; '),
  };
};

/**
 * The API as its own process (node src/server.ts), so a test can SIGKILL it like a crash.
 * `onSpawn` gets the process at once (to kill it even if it never listens); `onLine` sees every line
 * it prints from its start (a benchmark timing the crawl's log lines, which begin as it listens,
 * before this resolves).
 */
export const startApiProcess = (
  env: Record<string, string>,
  { onSpawn, onLine }: { onSpawn?: (child: ChildProcess) => void; onLine?: (line: string) => void } = {},
): Promise<ApiProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...API_NODE_FLAGS, SERVER], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_TIMEOUT_MS: EMULATOR_AWS_TIMEOUT_MS,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onSpawn?.(child);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    const timer = setTimeout(() => reject(new Error(`API did not start: ${stderr}`)), 30_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`API exited (${code}) before listening: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', async (line) => {
      onLine?.(line);
      const match = /API listening on (http:\/\/\S+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        changeHeaders: await changeHeadersOf(match[1]!).catch(() => ({})),
        child,
        exited,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
