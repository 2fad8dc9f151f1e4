import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { motoEndpoint } from './support.ts';

/** Runs a preflight finding's fix as written (the AWS CLI, pointed at the test's moto server), in a folder of its own. */
export const runFix = (fix: string | null) => {
  expect(fix).not.toBeNull();
  const out = spawnSync('sh', ['-ec', fix!], {
    cwd: mkdtempSync(path.join(tmpdir(), 'rc-fix-')),
    encoding: 'utf8',
    env: { ...process.env, AWS_ENDPOINT_URL: motoEndpoint(), AWS_PAGER: '', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
  });
  if (out.status !== 0) throw new Error(`the fix failed (${out.status}): ${out.stderr}`);
};
