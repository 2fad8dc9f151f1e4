import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiProcess, type ApiProcess } from './api-process.ts';
import { ensureEmulatorCredentials, harnessClients } from './aws.ts';
import { MOTO_MISSING_MESSAGE, motoAvailable, startMoto, type MotoServer } from './moto.ts';
import { loadDemoAccounts } from './oidc/accounts.ts';
import { startOidcProcess, type OidcProcess } from './oidc/process.ts';
import { seedDemoAccount, type SeedResult } from './seed.ts';

export interface OidcConsole {
  /** The console's origin, e.g. http://127.0.0.1:PORT. */
  url: string;
  motoEndpoint: string;
  issuer: string;
  api: ApiProcess;
  /** What the demo seed made (the VPC id, the function ARNs). */
  seeded: SeedResult;
  stop(): Promise<void>;
}

/** A port that was free a moment ago: with OIDC the API must know its own origin (PUBLIC_URL) before it listens. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

/**
 * The console as people run it with sign-in, on 127.0.0.1 ports of its own: moto with the
 * demo account, the demo OpenID provider, and the API (its own process, AUTH_MODE=oidc,
 * a fresh SQLite store). For runs that must not share the fixed Playwright ports (fuzzing,
 * the load benchmark). `env` adds to or overrides the API's environment.
 */
export const startOidcConsole = async ({ env = {} }: { env?: Record<string, string> } = {}): Promise<OidcConsole> => {
  if (!motoAvailable()) throw new Error(MOTO_MISSING_MESSAGE);
  ensureEmulatorCredentials();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rotation-console-'));
  let moto: MotoServer | undefined;
  let oidc: OidcProcess | undefined;
  let api: ApiProcess | undefined;
  const stop = async () => {
    await api?.stop();
    await Promise.all([oidc?.stop(), moto?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    [moto, oidc] = await Promise.all([startMoto(), startOidcProcess()]);
    const seeded = await seedDemoAccount(harnessClients(moto.endpoint), moto.endpoint);
    const demo = loadDemoAccounts();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    api = await startApiProcess({
      PORT: String(port),
      AWS_ENDPOINT_URL: moto.endpoint,
      DATA_DIR: dataDir,
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: oidc.issuer,
      OIDC_CLIENT_ID: demo.console.clientId,
      OIDC_CLIENT_SECRET: demo.console.clientSecret,
      OIDC_AUDIENCE: demo.audience,
      PUBLIC_URL: url,
      SESSION_SECRET: 'harness-session-secret-0123456789abcdef',
      // As `pnpm start`: the demo teams' defaults and schedule limits.
      TEAMS_CONFIG: fileURLToPath(new URL('../../config/teams.json', import.meta.url)),
      ...env,
    });
    return { url, motoEndpoint: moto.endpoint, issuer: oidc.issuer, api, seeded, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
