// `pnpm bench <name>`: runs bench/<name>.ts. Benchmarks print their figures and end with
// one JSON line; they are never part of `pnpm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''));
const name = process.argv[2];

if (!name || !existsSync(path.join(here, `${name}.bench.ts`))) {
  console.error(`Usage: pnpm bench <name>; available: ${available.join(', ') || 'none yet'}`);
  process.exit(2);
}
const result = spawnSync(process.execPath, [path.join(here, `${name}.bench.ts`), ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
