// `pnpm test`: every check and every test runner, then one closing line
// "N passed, N failed" summing them (lint, format, typecheck and the compose check count one each).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localStackInstalled } from '@rotation-console/harness/localstack.ts';

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

// The browser suite's second emulator, LocalStack, lives in a project-local venv (.tools/localstack):
// installed when missing (about a minute and a half, mostly pip downloading and unpacking), in a
// process of its own from the start, beside the checks and vitest, which need none of it; the
// Playwright run below waits for it and only starts it. Its output goes to a file, not a pipe:
// the stages run with spawnSync, which blocks this process's event loop, and a pipe nobody reads
// would stall pip once full.
const localStackRun =
  !process.env.AWS_ENDPOINT_URL &&
  (process.env.E2E_EMULATORS ?? 'moto,localstack')
    .split(',')
    .map((e) => e.trim())
    .includes('localstack');
const localStackLog = path.join(reports, 'localstack-install.log');
const localStackFresh = localStackRun && !localStackInstalled();
const localStackInstall = localStackRun
  ? new Promise<{ code: number | null; seconds: string }>((resolve) => {
      const started = Date.now();
      const out = openSync(localStackLog, 'w');
      const child = spawn(
        process.execPath,
        ['--input-type=module', '-e', "import { ensureLocalStack } from '@rotation-console/harness/localstack.ts'; ensureLocalStack();"],
        { cwd: root, stdio: ['ignore', out, out] },
      );
      closeSync(out);
      // Seen when this process next looks (its event loop waits while a stage runs): an upper bound.
      const done = (code: number | null) => resolve({ code, seconds: ((Date.now() - started) / 1000).toFixed(1) });
      child.once('exit', done);
      child.once('error', () => done(null));
    })
  : undefined;

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

// LocalStack, installed in the background since the start (see above), before the browser suite starts it.
if (localStackInstall) {
  const waitStarted = Date.now();
  const { code, seconds } = await localStackInstall;
  const waited = ((Date.now() - waitStarted) / 1000).toFixed(1);
  if (code === 0) {
    summary.push(`localstack: ${localStackFresh ? 'installed beside the checks and vitest' : 'already installed'} (${waited} s waited for it)`);
  } else {
    console.error(`LocalStack's install failed (exit ${code}); its output, ${path.relative(root, localStackLog)}:`);
    console.error(readFileSync(localStackLog, 'utf8').trim().split('\n').slice(-20).join('\n'));
    failed++;
    summary.push(`localstack: install FAILED (${seconds} s)`);
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
