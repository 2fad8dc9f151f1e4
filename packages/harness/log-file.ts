import { createWriteStream } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

/**
 * Appends everything a child process writes (stdout and stderr) to `file`, beside whatever
 * else reads those streams. The canary reads these files after the e2e run (e2e/canary).
 */
export const teeToFile = (child: ChildProcess, file: string | undefined) => {
  if (!file) return;
  const out = createWriteStream(file, { flags: 'a' });
  child.stdout?.on('data', (chunk: Buffer) => out.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => out.write(chunk));
  child.once('exit', () => out.end());
};
