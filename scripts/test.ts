// `pnpm test`: every check and every test runner, then one closing line
// "N passed, N failed" summing them (lint, format, typecheck and the compose check count one each).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLocalStack, localStackInstalled } from '@rotation-console/harness/localstack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = path.join(root, '.reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
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

interface PlaywrightTest {
  projectName: string;
  status: 'expected' | 'unexpected' | 'flaky' | 'skipped';
  annotations: { type: string; description?: string }[];
}
interface PlaywrightSuite {
  title: string;
  specs?: { title: string; tests: PlaywrightTest[] }[];
  suites?: PlaywrightSuite[];
}
interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites: PlaywrightSuite[];
}

/** Per project (emulator): how many specs passed, failed and were skipped, and each skip's reason with its count. */
const playwrightByProject = (report: PlaywrightReport): string[] => {
  const tests: PlaywrightTest[] = [];
  const walk = (suite: PlaywrightSuite) => {
    for (const spec of suite.specs ?? []) tests.push(...spec.tests);
    for (const child of suite.suites ?? []) walk(child);
  };
  report.suites.forEach(walk);
  const projects = [...new Set(tests.map((t) => t.projectName))];
  return projects.flatMap((project) => {
    const mine = tests.filter((t) => t.projectName === project);
    const count = (...statuses: PlaywrightTest['status'][]) => mine.filter((t) => statuses.includes(t.status)).length;
    const reasons = new Map<string, number>();
    for (const t of mine.filter((t) => t.status === 'skipped')) {
      // Without a skip annotation: a serial group stopped at an earlier failure.
      const reason = t.annotations.find((a) => a.type === 'skip')?.description ?? 'did not run: an earlier test of its serial group failed';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    return [
      `  ${project}: ${count('expected', 'flaky')} passed, ${count('unexpected')} failed, ${count('skipped')} skipped`,
      ...[...reasons].map(([reason, n]) => `    skipped ${n}: ${reason}`),
    ];
  });
};

const bin = (pkgDir: string, name: string) => path.join(root, pkgDir, 'node_modules/.bin', name);

check('lint', bin('.', 'eslint'), ['.']);
check('format', bin('.', 'prettier'), ['--check', '.']);
check('typecheck', 'pnpm', ['-r', '--parallel', 'typecheck']);

// Unit, web and API tests: one vitest run over every project.
const vitestJson = path.join(reports, 'vitest.json');
const vitest = run('vitest', bin('.', 'vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson) as { numPassedTests: number; numFailedTests: number; numPendingTests?: number; numTodoTests?: number } | null;
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
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

// The browser suite's second emulator, LocalStack, lives in a project-local venv (.tools/localstack):
// installed here when missing (about a minute), so that the Playwright run below only starts it.
const localStackRun =
  !process.env.AWS_ENDPOINT_URL &&
  (process.env.E2E_EMULATORS ?? 'moto,localstack')
    .split(',')
    .map((e) => e.trim())
    .includes('localstack');
if (localStackRun) {
  const started = Date.now();
  const fresh = !localStackInstalled();
  try {
    ensureLocalStack();
    summary.push(`localstack: ${fresh ? 'installed' : 'already installed'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    console.error((error as Error).message);
    failed++;
    summary.push(`localstack: install FAILED (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

// The browser flow, once per emulator (playwright.config.ts: projects moto and localstack).
const playwrightJson = path.join(reports, 'playwright.json');
const e2e = run('playwright', bin('e2e', 'playwright'), ['test', '--reporter=list,json'], {
  cwd: path.join(root, 'e2e'),
  env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
});
const p = readJson(playwrightJson) as PlaywrightReport | null;
if (p) {
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
  if (!e2e.ok && p.stats.unexpected === 0) failed++;
  summary.push(
    `playwright: ${p.stats.expected + p.stats.flaky} passed (${p.stats.flaky} flaky), ${p.stats.unexpected} failed, ${p.stats.skipped} skipped (${e2e.seconds} s)`,
  );
  summary.push(...playwrightByProject(p));
} else {
  failed++;
  summary.push(`playwright: did not report (${e2e.seconds} s)`);
}

// No Docker engine runs here: check that the compose file is valid.
if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) {
  check('docker-compose config', 'docker-compose', ['-f', path.join(root, 'docker-compose.yml'), 'config', '-q']);
}

console.log(`\n${summary.join('\n')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
