// `pnpm bench batch` (issue 16): enable rotation for 500 secrets in moto through one batch, watched to
// the end. In one moto server of its own (a 127.0.0.1 port in 5740-5749) it seeds the demo account,
// gives the demo's PostgreSQL function to a team (a tag), and makes SECRETS secrets of that team; an
// API process of its own talks to moto through the harness's recording proxy, which stamps every AWS
// call with the time it was sent. Then, as the batch page does: POST /api/v1/batches/preview (every
// secret planned, the plan kept under its previewId; not timed in wall_s, printed as preview_s), then
// Start: POST /api/v1/batches with the previewId (existing function, so the shared step is one
// AddPermission; no rotation at once, no preflight), which applies the kept plan without planning
// again, and GET /api/v1/batches/{id} until it ends.
// Measured: start_s (the POST of Start: the kept plan checked against the policy and the batch
// stored), wall_s (from Start's POST until the batch ended), run_s (from the 202 to the end), the
// peak RotateSecret rate in any 1-second window (every RotateSecret the API sent, throttled ones too),
// the throttled count (RotateSecret and CancelRotateSecret answered ThrottlingException) and the
// failed count.
// Goals: peak <= 50/s, nothing failed, and wall_s <= 1.2 x (SECRETS / 50 s + the shared steps' time).
// wall_s is the time from Start, the person's wait after clicking it; the preview shown before it is
// the review, not the wait, and is printed beside it (preview_s, preview_calls). Calls per secret by
// API, in the preview, in Start's POST and in the run, are printed as the recording proxy counted them.
// BENCH_BATCH_SECRETS (500), BENCH_BATCH_THROTTLE_RATE (0: a share of RotateSecret calls the proxy
// answers with ThrottlingException, to watch the backoff), BENCH_BATCH_TIMEOUT_S (900): past it, moto
// and the API are killed and the bench exits 3.
import { TagResourceCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { Batch, BatchAccepted, BatchPreview, DashboardSummary, Workflow } from '@rotation-console/contracts';
import { startApiProcess, type ApiProcess } from '@rotation-console/harness/api-process.ts';
import { ensureEmulatorCredentials, harnessClients } from '@rotation-console/harness/aws.ts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { startMoto, type MotoServer } from '@rotation-console/harness/moto.ts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { boundedRun, freePortIn } from './bounded-run.ts';
import { inParallel, round1 } from './measure.ts';

const SECRETS = Number(process.env.BENCH_BATCH_SECRETS ?? 500);
const THROTTLE_RATE = Number(process.env.BENCH_BATCH_THROTTLE_RATE ?? 0);
const TIMEOUT_S = Number(process.env.BENCH_BATCH_TIMEOUT_S ?? 900);
const QUOTA = 50;
/** How often the batch is read while it runs: about as often as its page does, so the watching does not slow what it measures. */
const POLL_MS = 500;
const TEAM = 'bench';
const FUNCTION = 'SecretsManager-postgres-single-user';
/** The ports of everything this bench listens on (this bench's share of the machine's 57xx range; BENCH_BATCH_PORTS=5790-5799 to move it). */
const [portsFrom, portsTo] = (process.env.BENCH_BATCH_PORTS ?? '5740-5749').split('-').map(Number);
const PORTS = { from: portsFrom!, to: portsTo! };

ensureEmulatorCredentials();
const { track, tempDir, end } = boundedRun({ name: 'batch', timeoutS: TIMEOUT_S, timeoutVariable: 'BENCH_BATCH_TIMEOUT_S', started: 'moto and the API' });
let moto: MotoServer | undefined;
let proxy: AwsProxy | undefined;
let api: ApiProcess | undefined;

/** The most calls in any window of `windowMs` (a window starts at each call). */
const peakIn = (times: readonly number[], windowMs: number) => {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
};

const json = async <T>(res: Response, what: string): Promise<T> => {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
  return (await res.json()) as T;
};

try {
  const taken: number[] = [];
  const motoPort = await freePortIn(PORTS.from, PORTS.to);
  taken.push(motoPort);
  moto = await startMoto({ port: motoPort });
  track(moto.process);
  const aws = harnessClients(moto.endpoint);
  const setupStarted = performance.now();
  await seedDemoAccount(aws, moto.endpoint);
  // The team's own function: a step's re-check of a function its tag gives to a team reads no more than the tag.
  const functionArn = (await aws.lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION }))).Configuration!.FunctionArn!;
  await aws.lambda.send(new TagResourceCommand({ Resource: functionArn, Tags: { team: TEAM } }));
  const names = Array.from({ length: SECRETS }, (_, i) => `bench/batch/db-${String(i + 1).padStart(4, '0')}`);
  const arns: string[] = new Array<string>(SECRETS);
  await inParallel(0, SECRETS, 16, async (i) => {
    const out = await aws.secretsManager.send(
      new CreateSecretCommand({
        Name: names[i]!,
        SecretString: JSON.stringify({
          engine: 'postgres',
          host: '127.0.0.1',
          port: 5432,
          username: `bench${i}`,
          password: `bench-password-${i}-x`,
          dbname: 'test',
        }),
        Tags: [{ Key: 'team', Value: TEAM }],
      }),
    );
    arns[i] = out.ARN!;
  });
  console.log(`moto ${moto.endpoint}: demo account and ${SECRETS} secrets of team ${TEAM} in ${round1((performance.now() - setupStarted) / 1000)} s`);

  const proxyPort = await freePortIn(PORTS.from, PORTS.to, taken);
  taken.push(proxyPort);
  proxy = await startAwsProxy({
    target: moto.endpoint,
    port: proxyPort,
    ...(THROTTLE_RATE > 0 ? { faultRate: THROTTLE_RATE, faultOperations: ['RotateSecret'] } : {}),
  });
  const apiPort = await freePortIn(PORTS.from, PORTS.to, taken);
  api = await startApiProcess(
    // No index refresh while the bench runs; the teams file is the default one (no roles to assume).
    {
      PORT: String(apiPort),
      AWS_ENDPOINT_URL: proxy.url,
      AUTH_MODE: 'local',
      DATA_DIR: tempDir('rc-bench-batch-data-'),
      INDEX_REFRESH_MS: '3600000',
      ...(process.env.WORKFLOW_CONCURRENCY ? { WORKFLOW_CONCURRENCY: process.env.WORKFLOW_CONCURRENCY } : {}),
    },
    { onSpawn: (child) => track(child) },
  );
  // The first crawl, which starts as the API listens, done before anything is timed.
  for (let tries = 0; ; tries++) {
    const summary = await json<DashboardSummary>(await fetch(`${api.url}/api/v1/dashboard/summary`), 'summary');
    if (summary.freshness.targets.length > 0 && summary.freshness.targets.every((t) => t.state === 'ready')) break;
    if (tries >= 600) throw new Error(`the API's index is not ready: ${JSON.stringify(summary.freshness)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  proxy.calls.splice(0);

  const body = {
    selection: { kind: 'secrets', secretIds: arns },
    action: {
      action: 'enable',
      schedule: { kind: 'expression', expression: 'cron(0 1 ? * SUN *)' },
      duration: '8h',
      rotateImmediately: false,
      function: { mode: 'existing', functionArn, strategy: 'single-user' },
    },
    preflight: false,
  };
  // The review: the plan the batch page shows, kept by the API for Start. Not part of the wait after Start.
  const previewStarted = performance.now();
  const previewed = await json<BatchPreview>(
    await fetch(`${api.url}/api/v1/batches/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...api.changeHeaders },
      body: JSON.stringify(body),
    }),
    'POST /api/v1/batches/preview',
  );
  const previewS = (performance.now() - previewStarted) / 1000;
  const previewCalls = proxy.calls.splice(0);
  console.log(`preview: ${previewed.summary}; ${round1(previewS)} s; kept as ${previewed.previewId} until ${previewed.expiresAt}`);

  const started = performance.now();
  const startedAt = Date.now();
  const accepted = await json<BatchAccepted>(
    await fetch(`${api.url}/api/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...api.changeHeaders },
      body: JSON.stringify({ ...body, previewId: previewed.previewId }),
    }),
    'POST /api/v1/batches',
  );
  const planned = performance.now();
  const plannedAt = Date.now();
  let batch: Batch;
  for (;;) {
    batch = await json<Batch>(await fetch(`${api.url}/api/v1/batches/${accepted.id}`), 'GET batch');
    if (batch.status !== 'running' && batch.status !== 'pending') break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  // The end is when the API marked the batch ended (the same machine's clock), not when this poll saw it.
  const ended = started + (Date.parse(batch.finishedAt!) - startedAt);

  const shared = batch.sharedWorkflowId ? await json<Workflow>(await fetch(`${api.url}/api/v1/workflows/${batch.sharedWorkflowId}`), 'shared workflow') : null;
  const sharedS = shared?.startedAt && shared.finishedAt ? (Date.parse(shared.finishedAt) - Date.parse(shared.startedAt)) / 1000 : 0;
  const rotateCalls = proxy.calls.filter((c) => c.operation === 'RotateSecret');
  const throttled = proxy.calls.filter(
    (c) => (c.operation === 'RotateSecret' || c.operation === 'CancelRotateSecret') && c.errorType === 'ThrottlingException',
  ).length;
  const peak = peakIn(
    rotateCalls.map((c) => c.at!),
    1000,
  );
  const failed = batch.totals.failed + batch.totals.cancelled + batch.totals.refused;
  const wallS = (ended - started) / 1000;
  const startS = (planned - started) / 1000;
  const floorS = SECRETS / QUOTA + sharedS;
  const runS = (ended - planned) / 1000;
  const byOperation = new Map<string, number>();
  for (const c of proxy.calls) byOperation.set(c.operation, (byOperation.get(c.operation) ?? 0) + 1);
  // Calls per secret by API: the preview's, Start's POST's (the kept plan: none per secret) and the run's after its 202.
  const perSecret = (from: number, to: number, calls = proxy!.calls) => {
    const counts = new Map<string, number>();
    for (const c of calls) if (c.at! >= from && c.at! < to) counts.set(c.operation, (counts.get(c.operation) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return 'none';
    return `${total} calls, ${round1(total / SECRETS)} a secret (${[...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op} ${round1(n / SECRETS)}`)
      .join(', ')})`;
  };

  console.log(`batch ${accepted.id}: ${batch.summary}; ${batch.status}: ${JSON.stringify(batch.totals)}`);
  console.log(
    `preview (not in wall): ${round1(previewS)} s; start (POST): ${round1(startS)} s; run (202 to the end): ${round1(runS)} s; shared steps: ${round1(sharedS)} s`,
  );
  console.log(
    `AWS calls from Start on: ${proxy.calls.length} (${[...byOperation]
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')})`,
  );
  console.log(`AWS calls in the preview: ${perSecret(0, Number.POSITIVE_INFINITY, previewCalls)}`);
  console.log(`AWS calls in Start's POST: ${perSecret(startedAt, plannedAt)}`);
  console.log(`AWS calls in the run: ${perSecret(plannedAt, Number.POSITIVE_INFINITY)}`);
  console.log(`RotateSecret: ${rotateCalls.length} sent, peak ${peak} in any 1 s, ${throttled} throttled`);
  // Where the run's time goes: before the first RotateSecret, the calls each second (50 would be the pacing's full use), after the last.
  const rotateTimes = rotateCalls.map((c) => c.at!).sort((a, b) => a - b);
  if (rotateTimes.length > 0) {
    const perSecond = new Array<number>(Math.floor((rotateTimes.at(-1)! - rotateTimes[0]!) / 1000) + 1).fill(0);
    for (const t of rotateTimes) perSecond[Math.floor((t - rotateTimes[0]!) / 1000)]! += 1;
    console.log(
      `RotateSecret over the run: first ${round1((rotateTimes[0]! - plannedAt) / 1000)} s after the 202, then each second ${perSecond.join(' ')}, the batch ended ${round1((startedAt + wallS * 1000 - rotateTimes.at(-1)!) / 1000)} s after the last`,
    );
  }
  const goals = [
    { goal: `peak RotateSecret rate <= ${QUOTA}/s`, ok: peak <= QUOTA, value: `${peak}/s` },
    { goal: 'nothing failed', ok: failed === 0, value: `${failed} failed` },
    {
      goal: `wall <= 1.2 x (${SECRETS}/${QUOTA} s + shared ${round1(sharedS)} s) = ${round1(1.2 * floorS)} s`,
      ok: wallS <= 1.2 * floorS,
      value: `${round1(wallS)} s`,
    },
  ];
  for (const g of goals) console.log(`${g.ok ? 'PASS' : 'FAIL'} ${g.goal}: ${g.value}`);
  console.log(
    JSON.stringify({
      bench: 'batch',
      secrets: SECRETS,
      wall_s: round1(wallS),
      peak_rotate_per_s: peak,
      throttled,
      failed,
      start_s: round1(startS),
      run_s: round1(runS),
      calls: proxy.calls.length,
      preview_s: round1(previewS),
      preview_calls: previewCalls.length,
      shared_s: round1(sharedS),
      goals_met: goals.every((g) => g.ok),
    }),
  );
  process.exitCode = goals.every((g) => g.ok) ? 0 : 1;
} finally {
  await api?.stop().catch(() => undefined);
  await proxy?.close().catch(() => undefined);
  await moto?.stop().catch(() => undefined);
  end();
}
