// What a benchmark starts (servers, the CLI's shell scripts, temporary directories), gone when it
// ends: at its end, on Ctrl-C or SIGTERM, or past its deadline, when it also exits non-zero.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The exit code of a benchmark its deadline ended. */
export const DEADLINE_EXIT_CODE = 3;

/**
 * Starts the deadline (`timeoutS`, named by `timeoutVariable` in its message) and answers what the
 * benchmark registers with: `track` for each process it starts (`group`: one that leads its own
 * process group, killed as a group, so a shell script's running `aws` goes too), `tempDir` for each
 * temporary directory, and `end` to call once in its `finally`.
 */
export const boundedRun = ({ name, timeoutS, timeoutVariable, started }: { name: string; timeoutS: number; timeoutVariable: string; started: string }) => {
  /** Each process the benchmark started, and whether it leads its own process group. */
  const children = new Map<ChildProcess, { group: boolean }>();
  const tempDirs: string[] = [];

  const killEverything = () => {
    for (const [child, { group }] of children) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
      try {
        process.kill(group ? -child.pid : child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  };

  const deadline = setTimeout(() => {
    console.error(`bench ${name}: not done within ${timeoutS} s (${timeoutVariable}); ${started} killed`);
    killEverything();
    process.exit(DEADLINE_EXIT_CODE);
  }, timeoutS * 1000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      killEverything();
      process.exit(130);
    });

  return {
    track: <T extends ChildProcess>(child: T, { group = false } = {}): T => {
      children.set(child, { group });
      child.once('exit', () => children.delete(child));
      return child;
    },
    tempDir: (prefix: string) => {
      const dir = mkdtempSync(path.join(tmpdir(), prefix));
      tempDirs.push(dir);
      return dir;
    },
    /** Stops the deadline and kills whatever is still running (after the benchmark's own orderly stops). */
    end: () => {
      clearTimeout(deadline);
      killEverything();
    },
  };
};

/** A 127.0.0.1 port from `from` to `to` that nothing listens on now, other than those in `taken`. */
export const freePortIn = async (from: number, to: number, taken: readonly number[] = []): Promise<number> => {
  for (let port = from; port <= to; port++) {
    if (taken.includes(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free 127.0.0.1 port from ${from} to ${to}`);
};
