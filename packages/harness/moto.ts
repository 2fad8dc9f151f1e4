import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { teeToFile } from './log-file.ts';

export const MOTO_VERSION = '5.2.1';
export const MOTO_MISSING_MESSAGE = `The local default needs Python 3 with moto server ${MOTO_VERSION}: run  pip install "moto[server]==${MOTO_VERSION}"  (or set AWS_ENDPOINT_URL to LocalStack).`;

/** The launcher's extension for backdating rotations (moto_launcher.py). */
export const MOTO_ROTATION_DATES_PATH = '/moto-api/harness/rotation-dates';

const LAUNCHER = fileURLToPath(new URL('./moto_launcher.py', import.meta.url));
const PYTHON = process.env.PYTHON ?? 'python3';

/** True when Python 3 and moto server of the pinned version are installed. */
export const motoAvailable = (): boolean => {
  const probe = spawnSync(PYTHON, ['-c', `import sys, moto, flask; sys.exit(0 if moto.__version__ == "${MOTO_VERSION}" else 3)`], { stdio: 'ignore' });
  return probe.status === 0;
};

export interface MotoServer {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts moto (through the harness launcher) on 127.0.0.1; port 0 picks a free one. `logFile` keeps
 * its output. `rolesMustExist`: sts:AssumeRole refuses a role IAM does not have, as AWS does.
 */
export const startMoto = ({
  port = 0,
  host = '127.0.0.1',
  logFile,
  rolesMustExist = false,
}: { port?: number; host?: string; logFile?: string; rolesMustExist?: boolean } = {}): Promise<MotoServer> =>
  new Promise((resolve, reject) => {
    const args = [LAUNCHER, '--host', host, '--port', String(port), ...(rolesMustExist ? ['--roles-must-exist'] : [])];
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    teeToFile(child, logFile);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`moto did not start within 30 s: ${stderr}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto exited with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
    lines.on('line', (line) => {
      const match = /moto listening on (http:\/\/\S+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      lines.close();
      child.stdout.resume();
      resolve({
        endpoint: match[1]!,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 3000).unref();
          }),
      });
    });
  });

/** Empties every moto backend. */
export const resetMoto = async (endpoint: string) => {
  const res = await fetch(new URL('/moto-api/reset', endpoint), { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
};
