// LocalStack's open-source core as the second emulator, without Docker: installed into a
// project-local virtual environment (.tools/localstack/venv, gitignored) on Python 3.12 or newer,
// with the harness's own plugins (packages/harness/localstack: a Node.js Lambda executor and the
// Secrets Manager parity patches), and run as a plain Python process on 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { teeToFile } from './log-file.ts';

export const LOCALSTACK_VERSION = '2026.3.0';
/**
 * Pins that LocalStack's metadata leaves open and that its 2026.3.0 release needs: newer cbor2,
 * pyOpenSSL and cryptography break it at start, and service_identity is imported but not declared.
 */
const PINS = [`localstack-core[runtime]==${LOCALSTACK_VERSION}`, 'cbor2<6', 'pyopenssl>=25,<26', 'cryptography>=45.0.7,<47', 'service_identity'];

const root = fileURLToPath(new URL('../..', import.meta.url));
const PLUGIN_DIR = fileURLToPath(new URL('./localstack/', import.meta.url));
const TOOLS_DIR = path.join(root, '.tools/localstack');
const VENV = path.join(TOOLS_DIR, 'venv');
const VENV_PYTHON = path.join(VENV, 'bin/python');
const STAMP = path.join(TOOLS_DIR, 'installed.json');

/** The harness's extension for backdating rotations (rc_localstack/secretsmanager_parity.py). */
export const LOCALSTACK_ROTATION_DATES_PATH = '/_localstack_harness/rotation-dates';

const MIN_PYTHON: [number, number] = [3, 12];

/** What the installed LocalStack must match; a change (a pin, the plugin's metadata) reinstalls it. */
const wantedPackages = () =>
  JSON.stringify({
    pins: PINS,
    plugin: createHash('sha256')
      .update(readFileSync(path.join(PLUGIN_DIR, 'pyproject.toml')))
      .digest('hex'),
  });
/**
 * The stamp adds where the plugin lives: it is installed editable, so a checkout whose harness
 * moved (or another worktree sharing .tools/) reinstalls the plugin alone, a matter of seconds.
 */
const wantedStamp = () => JSON.stringify({ packages: wantedPackages(), pluginDir: PLUGIN_DIR });
const readStamp = (): { packages?: string; pluginDir?: string } => {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')) as { packages?: string; pluginDir?: string };
  } catch {
    return {};
  }
};

const pythonVersion = (python: string): [number, number] | undefined => {
  const probe = spawnSync(python, ['-c', 'import sys; print(*sys.version_info[:2])'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  if (probe.status !== 0) return undefined;
  const [major, minor] = probe.stdout.trim().split(' ').map(Number);
  return major !== undefined && minor !== undefined ? [major, minor] : undefined;
};

const newEnough = (v: [number, number] | undefined) => v !== undefined && (v[0] > MIN_PYTHON[0] || (v[0] === MIN_PYTHON[0] && v[1] >= MIN_PYTHON[1]));

/**
 * A Python 3.12 or newer: LOCALSTACK_PYTHON, else python3.13 / python3.12 / python3.14 / python3 on
 * PATH (a pyenv shim counts only when it runs), else the newest of pyenv's installed versions.
 */
export const findPython = (): string | undefined => {
  const candidates = [process.env.LOCALSTACK_PYTHON, 'python3.13', 'python3.12', 'python3.14', 'python3'].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) if (newEnough(pythonVersion(candidate))) return candidate;
  const pyenvVersions = path.join(process.env.PYENV_ROOT ?? path.join(homedir(), '.pyenv'), 'versions');
  if (!existsSync(pyenvVersions)) return undefined;
  const installed = readdirSync(pyenvVersions)
    .map((name) => ({ name, version: /^(\d+)\.(\d+)\.\d+$/.exec(name) }))
    .filter((v) => v.version)
    .map((v) => ({ python: path.join(pyenvVersions, v.name, 'bin/python3'), version: [Number(v.version![1]), Number(v.version![2])] as [number, number] }))
    .filter((v) => newEnough(v.version) && existsSync(v.python))
    .sort((a, b) => b.version[0] - a.version[0] || b.version[1] - a.version[1]);
  return installed[0]?.python;
};

export const LOCALSTACK_MISSING_PYTHON = `LocalStack ${LOCALSTACK_VERSION} needs Python 3.12 or newer (3.11 fails with a SyntaxError): install one, or name it in LOCALSTACK_PYTHON.`;

const run = (command: string, args: string[], what: string) => {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal}): ${command} ${args.join(' ')}`);
};

/** True when the venv holds this version, these pins and the current plugin's metadata. */
export const localStackInstalled = () => existsSync(VENV_PYTHON) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wantedStamp();

/**
 * Installs LocalStack into .tools/localstack/venv when it is missing or out of date (about a
 * minute and 500 MB the first time; nothing the second). The plugin is installed editable, so
 * changes to its code need no reinstall. Returns the venv's Python.
 */
export const ensureLocalStack = ({ log = console.log }: { log?: (line: string) => void } = {}): string => {
  if (localStackInstalled()) return VENV_PYTHON;
  const pip = [VENV_PYTHON, '-m', 'pip', '--disable-pip-version-check', 'install', '--quiet'] as const;
  if (existsSync(VENV_PYTHON) && readStamp().packages === wantedPackages()) {
    log(`Installing the harness's LocalStack plugins from ${path.relative(root, PLUGIN_DIR)} into ${path.relative(root, VENV)}...`);
    run(pip[0], [...pip.slice(1), '--no-deps', '--editable', PLUGIN_DIR], "Installing the harness's LocalStack plugins");
    writeFileSync(STAMP, wantedStamp());
    return VENV_PYTHON;
  }
  const python = findPython();
  if (!python) throw new Error(LOCALSTACK_MISSING_PYTHON);
  log(`Installing LocalStack ${LOCALSTACK_VERSION} into ${path.relative(root, VENV)} (Python ${pythonVersion(python)!.join('.')} at ${python})...`);
  rmSync(VENV, { recursive: true, force: true });
  rmSync(STAMP, { force: true });
  mkdirSync(TOOLS_DIR, { recursive: true });
  run(python, ['-m', 'venv', VENV], 'Creating the LocalStack venv');
  run(pip[0], [...pip.slice(1), ...PINS], 'Installing LocalStack');
  run(pip[0], [...pip.slice(1), '--no-deps', '--editable', PLUGIN_DIR], "Installing the harness's LocalStack plugins");
  writeFileSync(STAMP, wantedStamp());
  return VENV_PYTHON;
};

export interface LocalStackServer {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts LocalStack on 127.0.0.1:`port` (installing it first when needed) with the harness's
 * Lambda executor (Node.js functions as local processes) and a fresh state under .data/: there is
 * no reset endpoint, so every start is empty. `corsOrigins` are the browser origins it accepts.
 */
export const startLocalStack = async ({
  port,
  logFile,
  corsOrigins = [],
}: {
  port: number;
  logFile?: string;
  corsOrigins?: string[];
}): Promise<LocalStackServer> => {
  const python = ensureLocalStack();
  const fsRoot = path.join(root, '.data/localstack', String(port));
  rmSync(fsRoot, { recursive: true, force: true });
  mkdirSync(fsRoot, { recursive: true });
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, ['-m', 'localstack.runtime.main'], {
    cwd: fsRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GATEWAY_LISTEN: `127.0.0.1:${port}`,
      // These machines have /.dockerenv; LocalStack runs on the host here, not in its container.
      OVERRIDE_IN_DOCKER: '0',
      DNS_ADDRESS: '0',
      PERSISTENCE: '0',
      SKIP_SSL_CERT_DOWNLOAD: '1',
      DISABLE_EVENTS: '1',
      FILESYSTEM_ROOT: fsRoot,
      LOCALSTACK_VOLUME_DIR: path.join(fsRoot, 'volume'),
      EXTRA_CORS_ALLOWED_ORIGINS: corsOrigins.join(','),
      LAMBDA_RUNTIME_EXECUTOR: 'node',
      // The executor's functions run under this Node.js.
      RC_NODE: process.execPath,
      AWS_ENDPOINT_URL: undefined,
    },
  });
  teeToFile(child, logFile);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`LocalStack exited with code ${code}: ${output.trim().split('\n').slice(-5).join(' | ')}`))),
  );
  exited.catch(() => undefined);
  // Ready when its health endpoint answers with Lambda and Secrets Manager available.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const health = await Promise.race([
      fetch(`${endpoint}/_localstack/health`)
        .then(async (res) => (res.ok ? ((await res.json()) as { services?: Record<string, string> }) : undefined))
        .catch(() => undefined),
      exited,
    ]);
    if (health?.services?.lambda && health.services.secretsmanager) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`LocalStack did not answer at ${endpoint}/_localstack/health within 60 s: ${output.trim().split('\n').slice(-5).join(' | ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { endpoint, process: child, stop };
};
