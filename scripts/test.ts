// `pnpm test`: every check and every test runner, then one closing line
// "N passed, N failed" summing them (lint, typecheck and the compose check count one each).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = path.join(root, '.reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

let passed = 0;
let failed = 0;
const summary: string[] = [];

const run = (label: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: options.cwd ?? root, stdio: 'inherit', env: { ...process.env, ...options.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
};

const check = (label: string, command: string, args: string[]) => {
  const { ok, seconds } = run(label, command, args);
  if (ok) passed++;
  else failed++;
  summary.push(`${label}: ${ok ? 'ok' : 'FAILED'} (${seconds} s)`);
};

const readJson = (file: string): unknown => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);

const bin = (pkgDir: string, name: string) => path.join(root, pkgDir, 'node_modules/.bin', name);

check('lint', bin('.', 'eslint'), ['.']);
check('typecheck', 'pnpm', ['-r', '--parallel', 'typecheck']);

// Unit, web and API tests: one vitest run over every project.
const vitestJson = path.join(reports, 'vitest.json');
const vitest = run('vitest', bin('.', 'vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson) as { numPassedTests: number; numFailedTests: number } | null;
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  if (!vitest.ok && v.numFailedTests === 0) failed++; // a crash outside any test
  summary.push(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed (${vitest.seconds} s)`);
} else {
  failed++;
  summary.push(`vitest: did not report (${vitest.seconds} s)`);
}

// Fuzzing: schemathesis against the OpenAPI document, signed in as the admin; one test per
// operation (e2e/fuzz/run.ts prints the number of cases).
const fuzzJson = path.join(reports, 'fuzz.json');
const fuzz = run('fuzz', process.execPath, [path.join(root, 'e2e/fuzz/run.ts'), '--result', fuzzJson]);
const f = readJson(fuzzJson) as { passed: number; failed: number; cases: number } | null;
if (f) {
  passed += f.passed;
  failed += f.failed;
  if (!fuzz.ok && f.failed === 0) failed++;
  summary.push(`fuzz: ${f.passed} operations passed, ${f.failed} failed, ${f.cases} cases (${fuzz.seconds} s)`);
} else {
  failed++;
  summary.push(`fuzz: did not report (${fuzz.seconds} s)`);
}

// The browser flow against the local default.
const playwrightJson = path.join(reports, 'playwright.json');
const e2e = run('playwright', bin('e2e', 'playwright'), ['test', '--reporter=list,json'], {
  cwd: path.join(root, 'e2e'),
  env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
});
const p = readJson(playwrightJson) as { stats: { expected: number; unexpected: number; flaky: number } } | null;
if (p) {
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  if (!e2e.ok && p.stats.unexpected === 0) failed++;
  summary.push(`playwright: ${p.stats.expected + p.stats.flaky} passed (${p.stats.flaky} flaky), ${p.stats.unexpected} failed (${e2e.seconds} s)`);
} else {
  failed++;
  summary.push(`playwright: did not report (${e2e.seconds} s)`);
}

// No Docker engine runs here: check that the compose file is valid.
if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) {
  check('docker-compose config', 'docker-compose', ['-f', path.join(root, 'docker-compose.yml'), 'config', '-q']);
}

console.log(`\n${summary.join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
