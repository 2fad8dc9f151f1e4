// Fuzzing: schemathesis against the console's own OpenAPI document, signed in as the admin.
//   node e2e/fuzz/run.ts [--max-examples N] [--seed N] [--result FILE]
// Starts moto with the demo account, the demo OpenID provider and the API (AUTH_MODE=oidc) on
// free 127.0.0.1 ports, signs alice in through the provider's login form, runs every operation
// with the checks not_a_server_error, status_code_conformance and response_schema_conformance,
// prints schemathesis's report, and ends with "fuzz: N operations passed, N failed (N cases)".
// --result writes {operations, passed, failed, cases} as JSON for `pnpm test`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { harnessClients } from '@rotation-console/harness/aws.ts';
import { startOidcConsole, type OidcConsole } from '@rotation-console/harness/oidc-console.ts';
import { sessionHeaders } from '@rotation-console/harness/oidc/browser.ts';
import { DEMO_SECRETS } from '@rotation-console/harness/seed.ts';
import { fuzzConfig } from './config.ts';

export const SCHEMATHESIS_VERSION = '4.32.5';

const { values } = parseArgs({
  options: {
    'max-examples': { type: 'string', default: process.env.FUZZ_MAX_EXAMPLES ?? '25' },
    seed: { type: 'string', default: process.env.FUZZ_SEED ?? '20261128' },
    result: { type: 'string' },
  },
});

const schemathesis = process.env.SCHEMATHESIS ?? 'schemathesis';
const probe = spawnSync(schemathesis, ['--version'], { encoding: 'utf8' });
if (probe.status !== 0 || !probe.stdout.includes(SCHEMATHESIS_VERSION)) {
  console.error(`fuzz: needs schemathesis ${SCHEMATHESIS_VERSION}: pip install "schemathesis==${SCHEMATHESIS_VERSION}"`);
  process.exit(2);
}

interface Report {
  operations: { selected: number; tested: number; errored: number };
  test_cases: { generated: number; with_failures: number };
  failures: { code: string; title: string; operations: string[] }[];
  errors: { operation?: string; label?: string }[];
}

interface ScenarioFinished {
  ScenarioFinished?: { recorder: { label: string; interactions?: Record<string, { response?: { status_code: number } | null }> } };
}

/** What each operation answered, from schemathesis's event log: shows which code each reached. */
const printStatuses = (ndjson: string) => {
  const byOperation = new Map<string, Map<number, number>>();
  for (const line of ndjson.split('\n')) {
    if (!line.includes('"ScenarioFinished"')) continue;
    const { recorder } = (JSON.parse(line) as ScenarioFinished).ScenarioFinished!;
    const counts = byOperation.get(recorder.label) ?? new Map<number, number>();
    byOperation.set(recorder.label, counts);
    for (const { response } of Object.values(recorder.interactions ?? {})) {
      if (response) counts.set(response.status_code, (counts.get(response.status_code) ?? 0) + 1);
    }
  }
  console.log('\nStatuses answered, per operation:');
  for (const [label, counts] of [...byOperation].sort(([a], [b]) => a.localeCompare(b))) {
    const list = [...counts].sort(([a], [b]) => a - b).map(([code, n]) => `${code}×${n}`);
    console.log(`  ${label}: ${list.join(' ')}`);
  }
};

const work = mkdtempSync(path.join(tmpdir(), 'rotation-console-fuzz-'));
let console_: OidcConsole | undefined;
const cleanUp = async () => {
  await console_?.stop();
  if (!process.env.FUZZ_KEEP) rmSync(work, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void cleanUp().finally(() => process.exit(130)));

/**
 * schemathesis only puts a dictionary value into a path parameter when it fits one path
 * segment, and every demo secret's name has slashes: copies named without them (same value,
 * description and tags) give the secret routes ids that exist.
 */
const slashFreeCopies = async (endpoint: string) => {
  const { secretsManager } = harnessClients(endpoint);
  const names: string[] = [];
  for (const source of DEMO_SECRETS.filter((s) => !s.name.startsWith('dev/sandbox/'))) {
    const name = `fuzz-${source.name.replaceAll('/', '-')}`;
    const [described, value] = await Promise.all([
      secretsManager.send(new DescribeSecretCommand({ SecretId: source.name })),
      secretsManager.send(new GetSecretValueCommand({ SecretId: source.name })),
    ]);
    await secretsManager.send(
      new CreateSecretCommand({ Name: name, Description: described.Description, SecretString: value.SecretString, Tags: described.Tags }),
    );
    names.push(name);
  }
  return names;
};

let exitCode = 1;
try {
  console_ = await startOidcConsole();
  const secretIds = await slashFreeCopies(console_.motoEndpoint);
  // The session's cookies and its CSRF token: schemathesis POSTs as the signed-in admin.
  const headers = await sessionHeaders(console_.url, 'alice');
  const configFile = path.join(work, 'schemathesis.toml');
  writeFileSync(configFile, fuzzConfig({ headers, secretIds, vpcIds: [console_.seeded.vpcId] }));
  const reportDir = path.join(work, 'report');
  mkdirSync(reportDir);
  const started = Date.now();
  const child = spawn(
    schemathesis,
    [
      '--config-file',
      configFile,
      'run',
      `${console_.url}/api/v1/openapi.json`,
      '--checks',
      'not_a_server_error,status_code_conformance,response_schema_conformance',
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      values['max-examples'],
      '--seed',
      values.seed,
      // One worker: schemathesis's workers are threads, and hypothesis parses lambdas' source with
      // ast.parse while it describes a filter; CPython 3.11's ast.parse is not thread-safe (its
      // recursion depth is shared: "SystemError: AST constructor recursion depth mismatch",
      // python/cpython#106905), which two workers hit in a CI run (one operation errored).
      '--workers',
      '1',
      '--request-timeout',
      '30',
      '--no-color',
      '--report',
      'json,ndjson',
      '--report-dir',
      reportDir,
      // Each run stands alone (the seed makes it repeatable): no example database kept between runs.
      '--generation-database',
      'none',
    ],
    // schemathesis keeps a cache folder in its working directory: the run's own temporary one.
    { stdio: 'inherit', cwd: work },
  );
  const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const reportFile = readdirSync(reportDir).find((f) => f.endsWith('.json'));
  if (!reportFile) throw new Error(`schemathesis wrote no report (exit ${status})`);
  const report = JSON.parse(readFileSync(path.join(reportDir, reportFile), 'utf8')) as Report;
  const eventsFile = readdirSync(reportDir).find((f) => f.endsWith('.ndjson'));
  if (eventsFile) printStatuses(readFileSync(path.join(reportDir, eventsFile), 'utf8'));
  // An operation fails when any check failed on it or it could not be tested.
  const bad = new Set([...report.failures.flatMap((f) => f.operations), ...report.errors.map((e) => e.operation ?? e.label ?? '(run)')]);
  const failed = Math.max(bad.size, status === 0 ? 0 : 1);
  const passed = report.operations.tested - Math.min(bad.size, report.operations.tested);
  const result = {
    operations: report.operations.selected,
    passed,
    failed,
    cases: report.test_cases.generated,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  if (values.result) writeFileSync(values.result, JSON.stringify(result));
  console.log(`fuzz: ${passed} operations passed, ${failed} failed (${result.cases} cases in ${result.seconds} s)`);
  exitCode = failed === 0 ? 0 : 1;
} catch (error) {
  console.error(`fuzz: ${(error as Error).message}`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
