import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { teeToFile } from '../log-file.ts';

const START = fileURLToPath(new URL('./start.ts', import.meta.url));

export interface OidcProcess {
  issuer: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The demo OpenID provider as its own process (for the start script and Playwright, which
 * need it to outlive one test file). Port 0 picks a free one; resolves with the issuer
 * once it prints "oidc listening on ...".
 */
export const startOidcProcess = ({ port = 0, accounts, logFile }: { port?: number; accounts?: string; logFile?: string } = {}): Promise<OidcProcess> =>
  new Promise((resolve, reject) => {
    const args = [START, '--port', String(port), ...(accounts ? ['--accounts', accounts] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    teeToFile(child, logFile);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo OpenID provider did not start within 15 s: ${stderr}`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo OpenID provider exited with code ${code}: ${stderr.trim()}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /oidc listening on (http:\/\/\S+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      lines.close();
      child.stdout.resume();
      resolve({
        issuer: match[1]!,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 3000).unref();
          }),
      });
    });
  });
