// pnpm --filter @rotation-console/rotation-functions build
// Writes dist/rotation-function.zip (index.mjs at the root, Handler index.handler).
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildRotationFunctionZip } from '../src/build.ts';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const started = Date.now();
const { zip, sha256, handler, runtime } = await buildRotationFunctionZip();
await mkdir(dist, { recursive: true });
const target = `${dist}rotation-function.zip`;
await writeFile(target, zip);
console.log(`wrote ${target} (${(zip.length / 1024).toFixed(0)} KiB, sha256 ${sha256}, ${runtime} ${handler}) in ${Date.now() - started} ms`);
