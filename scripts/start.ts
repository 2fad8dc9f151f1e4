// The local default: moto server on 127.0.0.1, a seeded demo account, the demo OpenID
// provider (people sign in as the accounts of config/demo-accounts.json) and the console
// (web app and API on one port). `pnpm start`; PORT, MOTO_PORT and OIDC_PORT choose the
// ports; with AWS_ENDPOINT_URL set (LocalStack) it seeds that endpoint instead of starting
// moto; AUTH_MODE=local runs without sign-in (everyone is the local admin), as before.
// EMULATOR chooses what it starts when AWS_ENDPOINT_URL is unset: moto (the default), or
// localstack (LocalStack's open-source core, installed under .tools/ on first use, on
// LOCALSTACK_PORT, default 4566); EMULATOR=moto starts moto even with AWS_ENDPOINT_URL set.
// LOG_DIR keeps what moto (or LocalStack), the provider and the API print in moto.log
// (localstack.log), oidc.log and api.log there (the e2e canary reads them); the API's log then
// goes there alone. Ctrl-C stops everything it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMULATOR_AWS_TIMEOUT_MS, ensureEmulatorCredentials, harnessClients } from '@rotation-console/harness/aws.ts';
import { teeToFile } from '@rotation-console/harness/log-file.ts';
import { LOCALSTACK_ROTATION_DATES_PATH, startLocalStack } from '@rotation-console/harness/localstack.ts';
import { MOTO_MISSING_MESSAGE, MOTO_ROTATION_DATES_PATH, motoAvailable, startMoto } from '@rotation-console/harness/moto.ts';
import { startOidcProcess, type OidcProcess } from '@rotation-console/harness/oidc/process.ts';
import { loadDemoAccounts } from '@rotation-console/harness/oidc/accounts.ts';
import { ensureDemoDatabaseUsers } from '@rotation-console/harness/demo-databases.ts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { seedEventsRoute } from '@rotation-console/harness/seed-events.ts';
import { API_NODE_FLAGS } from '@rotation-console/harness/api-process.ts';
import { DEMO_FLEET_IN_WORDS, deployDemoMemberRoles, seedDemoFleet, writeDemoAccountsConfig } from '@rotation-console/harness/seed-fleet.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'apps/web');
const webDist = path.join(webDir, 'dist');

const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 22) {
  console.error(`Rotation Console needs Node.js 22 or newer (24 LTS recommended); this is ${process.version}.`);
  process.exit(1);
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const motoPort = Number(process.env.MOTO_PORT ?? 5000);
const oidcPort = Number(process.env.OIDC_PORT ?? 4000);
const localStackPort = Number(process.env.LOCALSTACK_PORT ?? 4566);
const emulatorChoice = process.env.EMULATOR ?? 'moto';
if (emulatorChoice !== 'moto' && emulatorChoice !== 'localstack') {
  console.error(`EMULATOR must be moto (the default) or localstack, got ${emulatorChoice}.`);
  process.exit(2);
}
const authMode = process.env.AUTH_MODE ?? 'oidc';
if (authMode !== 'oidc' && authMode !== 'local') {
  console.error(`AUTH_MODE must be oidc (the default: sign in at the demo provider) or local (no sign-in), got ${authMode}.`);
  process.exit(2);
}
const logDir = process.env.LOG_DIR ? path.resolve(process.env.LOG_DIR) : undefined;
if (logDir) mkdirSync(logDir, { recursive: true });
const logFile = (name: string) => (logDir ? path.join(logDir, name) : undefined);
const children: ChildProcess[] = [];
/** The emulator this script started (moto or LocalStack), if any. */
let emulator: { name: string; endpoint: string; process: ChildProcess; stop(): Promise<void> } | undefined;
let oidc: OidcProcess | undefined;
let stopping = false;

const stopAll = async (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all([emulator?.stop(), oidc?.stop()]);
  process.exit(code);
};
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const newestMtime = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }, 0);

/** Builds the web app when its sources are newer than the last build. */
const buildWebIfStale = () => {
  const index = path.join(webDist, 'index.html');
  const sources = Math.max(newestMtime(path.join(webDir, 'src')), statSync(path.join(webDir, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  console.log('Building the web app...');
  const vite = path.join(webDir, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The web app did not build; see above.');
    process.exit(1);
  }
};

let endpoint = emulatorChoice === 'moto' && process.env.EMULATOR ? undefined : process.env.AWS_ENDPOINT_URL;
ensureEmulatorCredentials();
if (!endpoint) {
  const started = emulatorChoice === 'localstack' ? startLocalStackEmulator() : startMotoEmulator();
  emulator = await started.catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
  endpoint = emulator.endpoint;
  const { name } = emulator;
  emulator.process.once('exit', () => {
    if (!stopping) {
      console.error(`${name} stopped unexpectedly.`);
      void stopAll(1);
    }
  });
}

async function startMotoEmulator() {
  if (!motoAvailable()) throw new Error(MOTO_MISSING_MESSAGE);
  try {
    return { name: 'moto', ...(await startMoto({ port: motoPort, logFile: logFile('moto.log'), rolesMustExist: true })) };
  } catch (error) {
    throw new Error(`Could not start moto on 127.0.0.1:${motoPort}: ${(error as Error).message}`, { cause: error });
  }
}

async function startLocalStackEmulator() {
  try {
    // The browser calls AWS directly in no page today; the console's origin is allowed all the same.
    const server = await startLocalStack({ port: localStackPort, logFile: logFile('localstack.log'), corsOrigins: [`http://127.0.0.1:${port}`] });
    return { name: 'LocalStack', ...server };
  } catch (error) {
    throw new Error(`Could not start LocalStack on 127.0.0.1:${localStackPort}: ${(error as Error).message}`, { cause: error });
  }
}

// The demo fleet: on a moto started here (it keeps accounts apart by AssumeRole's credentials), unless
// DEMO_FLEET=0 or the operator's own ACCOUNTS_CONFIG says which accounts to cover.
const fleetDemo = emulator?.name === 'moto' && process.env.DEMO_FLEET !== '0' && !process.env.ACCOUNTS_CONFIG;
// Events need the harness's moto (moto_launcher.py puts Secrets Manager's events); EVENTS=off turns them off.
const eventsDemo = emulator?.name === 'moto' && process.env.EVENTS !== 'off';

try {
  // Only an emulator started here can backdate rotations (the harness's extensions).
  const seeded = await seedDemoAccount(harnessClients(endpoint), emulator?.endpoint, {
    rotationDatesPath: emulatorChoice === 'localstack' ? LOCALSTACK_ROTATION_DATES_PATH : MOTO_ROTATION_DATES_PATH,
    secretsManagerEndpoint: true,
  });
  console.log(`Demo account at ${endpoint}: ${seeded.created.length ? `created ${seeded.created.length} secrets` : 'already seeded'}.`);
  // Some demo secrets name users on this machine's MariaDB and PostgreSQL, so they rotate for real.
  const local = await ensureDemoDatabaseUsers(endpoint, seeded.created);
  if (local.ready.length)
    console.log(
      `Demo: ${local.ready.join(', ')} rotate for real (users on this machine's databases); the other demo secrets name hosts that do not exist, so their rotations fail.`,
    );
  for (const problem of local.problems) console.log(problem);
  // On moto, member accounts beside the demo account: the console covers five account-regions in four
  // accounts, one of which (the sandbox) has no console role and shows failed.
  // Rotation events: the harness's moto puts Secrets Manager's events on the bus; the seed makes the
  // rule and queue the events setup would, and the console consumes them (EVENTS=on below).
  if (eventsDemo) {
    await seedEventsRoute(endpoint!);
    console.log('Demo: rotation events on (EventBridge rule and SQS queue rotation-console-events).');
  }
  if (fleetDemo) {
    await deployDemoMemberRoles(endpoint);
    const fleet = await seedDemoFleet(endpoint);
    console.log(`Demo fleet: accounts ${DEMO_FLEET_IN_WORDS}${fleet.length ? `, created ${fleet.length} secrets` : ''}.`);
  }
} catch (error) {
  console.error(`Seeding the demo account at ${endpoint} failed: ${(error as Error).message}`);
  await stopAll(1);
}

buildWebIfStale();

/**
 * The API's identity settings: with AUTH_MODE=oidc, the demo provider on OIDC_PORT and the
 * console's registration from config/demo-accounts.json. The session secret is new at every
 * start (sessions live in the API's memory, so nothing outlives a restart anyway).
 */
const identityEnv = async (): Promise<Record<string, string>> => {
  if (authMode === 'local') return { AUTH_MODE: 'local' };
  const session = {
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`,
    SESSION_SECRET: process.env.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
  };
  // OIDC_ISSUER set: the console signs in at that provider (its other OIDC_* keys come from the environment).
  if (process.env.OIDC_ISSUER) return { AUTH_MODE: 'oidc', ...session };
  const demo = loadDemoAccounts();
  try {
    oidc = await startOidcProcess({ port: oidcPort, logFile: logFile('oidc.log') });
  } catch (error) {
    console.error(`Could not start the demo OpenID provider on 127.0.0.1:${oidcPort}: ${(error as Error).message}`);
    return stopAll(1).then(() => ({}));
  }
  oidc.process.once('exit', () => {
    if (!stopping) {
      console.error('The demo OpenID provider stopped unexpectedly.');
      void stopAll(1);
    }
  });
  return {
    AUTH_MODE: 'oidc',
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: demo.console.clientId,
    OIDC_CLIENT_SECRET: demo.console.clientSecret,
    OIDC_AUDIENCE: demo.audience,
    ...session,
  };
};
const identity = await identityEnv();

const signInHint = () => {
  if (authMode === 'local') return '  (AUTH_MODE=local: no sign-in, everyone is the local admin)';
  if (!oidc) return `  Sign in at ${process.env.OIDC_ISSUER}`;
  const names = loadDemoAccounts()
    .accounts.map((a) => a.username)
    .join(', ');
  return `  Sign in as ${names} (passwords: config/demo-accounts.json) at the demo provider ${oidc.issuer}`;
};

// The console's own state (SQLite) per port, in the checkout, whichever directory this runs
// from: two local defaults on two ports (moto and LocalStack) must not share one index.
const dataDir = process.env.DATA_DIR ?? path.join(root, '.data', `console-${port}`);
mkdirSync(dataDir, { recursive: true });
const demoAccountsFile = path.join(dataDir, 'accounts.json');
if (fleetDemo) writeDemoAccountsConfig(demoAccountsFile, process.env.AWS_REGION ?? 'us-east-1');

const api = spawn(process.execPath, [...API_NODE_FLAGS, path.join(root, 'apps/api/src/server.ts')], {
  env: {
    ...process.env,
    ...identity,
    PORT: String(port),
    HOST: host,
    AWS_ENDPOINT_URL: endpoint,
    AWS_TIMEOUT_MS: process.env.AWS_TIMEOUT_MS ?? EMULATOR_AWS_TIMEOUT_MS,
    WEB_DIST: webDist,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The demo teams' portal defaults and schedule limits (payments: at most 90 days between rotations).
    TEAMS_CONFIG: process.env.TEAMS_CONFIG ?? path.join(root, 'config/teams.json'),
    DATA_DIR: dataDir,
    ...(fleetDemo ? { ACCOUNTS_CONFIG: demoAccountsFile } : {}),
    ...(eventsDemo ? { EVENTS: 'on' } : {}),
    // The e2e canary's marker is for the seed alone: the API may learn it only from AWS.
    SEED_SECRET_MARKER: undefined,
    E2E_CANARY: undefined,
  },
  stdio: ['ignore', 'pipe', logDir ? 'pipe' : 'inherit'],
});
children.push(api);
teeToFile(api, logFile('api.log'));
api.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
api.stdout!.on('data', (chunk: Buffer) => {
  const text = chunk.toString();
  if (text.includes('API listening on')) {
    console.log(`Rotation Console is running at http://${host}:${port}  (AWS: ${endpoint}; Ctrl-C stops it)`);
    console.log(signInHint());
  } else if (!logDir) {
    // With LOG_DIR the API's log goes to api.log alone.
    process.stdout.write(text);
  }
});
api.once('exit', (code) => {
  if (!stopping) {
    console.error(`The console API exited (code ${code}).`);
    void stopAll(code ?? 1);
  }
});
