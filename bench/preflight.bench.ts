// `pnpm bench preflight` (issue 15): "Check rotation" on one secret against moto, beside the same
// reads made with the AWS CLI in a shell script. In one moto server (its own, a 127.0.0.1 port in
// 5700-5799) it builds what the preflight reads: a VPC with the function's subnet and two database
// subnets, security groups (the database's admits the function on 5432, the Secrets Manager
// endpoint's on 443), an RDS PostgreSQL instance, a Secrets Manager interface endpoint with private
// DNS, a role with the rotation policy the console plans, the console's bundled rotation function in
// the VPC (ROTATION_STRATEGY and DB_ENGINE set, so it is the console's own) that Secrets Manager may
// invoke, and a secret whose host is the RDS endpoint, rotation configured with that function
// (RotateSecret, RotateImmediately false). Then:
//   1. the calls, counted once through the harness's AWS proxy: the AWS calls of one preflight (an
//      API process of its own on the proxy; its second preflight, as the first also asks moto for
//      the policy simulator it lacks) and of one run of the CLI script;
//   2. RUNS rounds, each one preflight (POST /api/v1/secrets/{arn}/preflight on an API process
//      talking to moto directly, after one untimed preflight) then one run of the CLI script: each
//      preflight's time to its whole answer, each script's wall clock; median and p95 (p95 by nearest rank: of 20, the 19th);
//   3. what the database-login invocation costs alone: Lambda Invoke of the preflight event from
//      this process (SDK), INVOKES times, median. The RDS host does not resolve here (moto makes the
//      instance up), so the function's login fails at once on its DNS lookup (ENOTFOUND): the check
//      answers "fail" and the bench says so; every other check must pass or the bench fails.
// Ends with one JSON line. BENCH_PREFLIGHT_RUNS (20), BENCH_PREFLIGHT_CLI_RUNS (as many as RUNS; the
// first rounds run the script), BENCH_PREFLIGHT_TIMEOUT_S (1800): past it, moto, the API processes and
// the CLI script are killed and the bench exits 3.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateDBInstanceCommand, CreateDBSubnetGroupCommand } from '@aws-sdk/client-rds';
import { CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { DashboardSummary, PreflightReport } from '@rotation-console/contracts';
import { startApiProcess, type ApiProcess } from '@rotation-console/harness/api-process.ts';
import { ensureEmulatorCredentials, harnessClients } from '@rotation-console/harness/aws.ts';
import { startAwsProxy, type AwsCall, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { startMoto, type MotoServer } from '@rotation-console/harness/moto.ts';
import { databaseLoginEvent, plannedRotationRoleStatements } from '@rotation-console/rotation';
import { buildRotationFunctionZip } from '@rotation-console/rotation-functions';
import { boundedRun, freePortIn } from './bounded-run.ts';
import { median, nearestRank, round1 } from './measure.ts';

const RUNS = Number(process.env.BENCH_PREFLIGHT_RUNS ?? 20);
const CLI_RUNS = Math.min(RUNS, Number(process.env.BENCH_PREFLIGHT_CLI_RUNS ?? RUNS));
const TIMEOUT_S = Number(process.env.BENCH_PREFLIGHT_TIMEOUT_S ?? 1800);
const INVOKES = 5;
const GOAL = 0.2;
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
/** The ports of everything this bench listens on (the machine's rule for servers started by hand). */
const PORTS = { from: 5700, to: 5799 };
/** The checks that must pass on what this bench builds; the database login cannot (its host does not resolve). */
const MUST_PASS = ['network-database', 'network-secrets-manager', 'permissions', 'function'];

ensureEmulatorCredentials();
const { track, tempDir, end } = boundedRun({
  name: 'preflight',
  timeoutS: TIMEOUT_S,
  timeoutVariable: 'BENCH_PREFLIGHT_TIMEOUT_S',
  started: 'moto, the API processes and the CLI script',
});
let moto: MotoServer | undefined;
let proxy: AwsProxy | undefined;
const apis: ApiProcess[] = [];

// --- What the preflight reads, built in moto -------------------------------------------------------

const build = async (endpoint: string) => {
  const aws = harnessClients(endpoint, REGION);
  const { ec2 } = aws;
  const subnet = async (vpcId: string, cidr: string, zone: string) =>
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: `${REGION}${zone}` }))).Subnet!.SubnetId!;
  const group = async (vpcId: string, name: string) =>
    (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: `bench preflight ${name}` }))).GroupId!;
  const admit = (groupId: string, port: number, from: string) =>
    ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [{ GroupId: from }] } satisfies IpPermission],
      }),
    );

  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
  const fnSubnet = await subnet(vpcId, '10.60.1.0/24', 'a');
  const dbSubnets = [await subnet(vpcId, '10.60.2.0/24', 'a'), await subnet(vpcId, '10.60.3.0/24', 'b')];
  const [sgFn, sgDb, sgEndpoint] = [await group(vpcId, 'fn'), await group(vpcId, 'db'), await group(vpcId, 'endpoint')];
  await admit(sgDb, 5432, sgFn);
  await admit(sgEndpoint, 443, sgFn);
  await ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: `com.amazonaws.${REGION}.secretsmanager`,
      SubnetIds: [fnSubnet],
      SecurityGroupIds: [sgEndpoint],
      PrivateDnsEnabled: true,
    }),
  );
  await aws.rds.send(
    new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'bench-preflight', DBSubnetGroupDescription: 'bench preflight', SubnetIds: dbSubnets }),
  );
  const host = (
    await aws.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'bench-orders',
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        MasterUsername: 'postgres',
        MasterUserPassword: randomBytes(12).toString('hex'),
        AllocatedStorage: 20,
        DBSubnetGroupName: 'bench-preflight',
        VpcSecurityGroupIds: [sgDb],
        PubliclyAccessible: false,
      }),
    )
  ).DBInstance!.Endpoint!.Address!;

  const secretArn = (
    await aws.secretsManager.send(
      new CreateSecretCommand({
        Name: 'bench/preflight/orders',
        SecretString: JSON.stringify({
          engine: 'postgres',
          host,
          port: 5432,
          username: 'orders_app',
          password: randomBytes(16).toString('hex'),
          dbname: 'orders',
        }),
      }),
    )
  ).ARN!;
  const functionName = 'bench-preflight-orders';
  const role = await aws.iam.send(
    new CreateRoleCommand({
      RoleName: functionName,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await aws.iam.send(
    new PutRolePolicyCommand({
      RoleName: functionName,
      PolicyName: 'rotation',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: plannedRotationRoleStatements({ secretArn, functionName, masterSecretArn: null }) }),
    }),
  );
  const bundle = await buildRotationFunctionZip();
  const functionArn = (
    await aws.lambda.send(
      new CreateFunctionCommand({
        FunctionName: functionName,
        Runtime: bundle.runtime,
        Handler: bundle.handler,
        Role: role.Role!.Arn!,
        Timeout: 30,
        Code: { ZipFile: bundle.zip },
        VpcConfig: { SubnetIds: [fnSubnet], SecurityGroupIds: [sgFn] },
        // The bundled template's variables: the console's own function.
        Environment: {
          Variables: { ROTATION_STRATEGY: 'single-user', DB_ENGINE: 'postgres', SECRETS_MANAGER_ENDPOINT: `https://secretsmanager.${REGION}.amazonaws.com` },
        },
      }),
    )
  ).FunctionArn!;
  await aws.lambda.send(
    new AddPermissionCommand({
      FunctionName: functionName,
      StatementId: 'SecretsManagerAccess',
      Action: 'lambda:InvokeFunction',
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: ACCOUNT,
    }),
  );
  // AWS (and the harness's moto) runs testSecret before it answers: it fails here (the host does not
  // resolve), which leaves rotation configured, as on AWS.
  await aws.secretsManager.send(
    new RotateSecretCommand({ SecretId: secretArn, RotationLambdaARN: functionArn, RotationRules: { AutomaticallyAfterDays: 30 }, RotateImmediately: false }),
  );
  return { aws, secretArn, functionArn, host };
};

// --- The console: one preflight ------------------------------------------------------------------

const startApi = async (awsEndpoint: string, taken: number[]) => {
  const port = await freePortIn(PORTS.from, PORTS.to, taken);
  const api = await startApiProcess(
    // No index refresh while the bench runs: its crawl's calls would be counted with the preflight's.
    { PORT: String(port), AWS_ENDPOINT_URL: awsEndpoint, AUTH_MODE: 'local', DATA_DIR: tempDir('rc-bench-preflight-data-'), INDEX_REFRESH_MS: '3600000' },
    { onSpawn: (child) => track(child) },
  );
  apis.push(api);
  // The first crawl, which starts as the API listens, done before anything is timed or counted.
  for (let tries = 0; ; tries++) {
    const summary = (await (await fetch(`${api.url}/api/v1/dashboard/summary`)).json()) as DashboardSummary;
    if (summary.freshness.targets.length > 0 && summary.freshness.targets.every((t) => t.state === 'ready')) break;
    if (tries >= 300) throw new Error(`the API's index is not ready: ${JSON.stringify(summary.freshness)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { api, port };
};

/** One POST /api/v1/secrets/{arn}/preflight, timed to the end of its answer. */
const preflight = async (api: ApiProcess, secretArn: string) => {
  const started = performance.now();
  const res = await fetch(`${api.url}/api/v1/secrets/${encodeURIComponent(secretArn)}/preflight`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...api.changeHeaders },
    body: '{}',
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (!res.ok) throw new Error(`preflight: HTTP ${res.status} ${text.slice(0, 500)}`);
  return { ms, report: JSON.parse(text) as PreflightReport };
};

/** The report this bench expects: every check there, those of MUST_PASS passed. */
const checkReport = (report: PreflightReport) => {
  const wrong = MUST_PASS.filter((id) => report.checks.find((c) => c.id === id)?.verdict !== 'pass');
  if (wrong.length || report.checks.length !== MUST_PASS.length + 1)
    throw new Error(`unexpected report: ${report.checks.map((c) => `${c.id} ${c.verdict}: ${c.summary}`).join(' | ')}`);
};

// --- The AWS CLI: the same reads, scripted -------------------------------------------------------

/**
 * The preflight's reads as an operator would script them with the AWS CLI, each answer feeding the
 * next as the console's do (the function from the secret, its network from the function, the
 * database by the value's host): one `aws` run per call, answers to /dev/null (nothing printed,
 * never the value). Reads the console makes twice (DescribeSecret, a VPC's subnets, route tables and
 * ACLs when the database and the function share it) are made once. $1 endpoint, $2 secret ARN,
 * $3 the preflight event, $4 where the function's answer goes.
 */
const cliScript = `#!/usr/bin/env bash
set -euo pipefail
endpoint="$1" secret="$2" event="$3" answer="$4"
q() { aws "$@" --endpoint-url "$endpoint" --output text; }
r() { aws "$@" --endpoint-url "$endpoint" --output json >/dev/null; }

fn=$(q secretsmanager describe-secret --secret-id "$secret" --query RotationLambdaARN)
read -r host port < <(q secretsmanager get-secret-value --secret-id "$secret" --query SecretString | jq -r '"\\(.host) \\(.port // 5432)"')
read -r role fn_subnets fn_groups < <(q lambda get-function-configuration --function-name "$fn" \\
  --query '[Role, join(\`,\`, VpcConfig.SubnetIds), join(\`,\`, VpcConfig.SecurityGroupIds)]')
vpc=$(q ec2 describe-subnets --subnet-ids "\${fn_subnets%%,*}" --query 'Subnets[0].VpcId')

read -r db_groups db_vpc < <(q rds describe-db-instances \\
  --query "DBInstances[?Endpoint.Address=='$host'] | [0].[join(',', VpcSecurityGroups[].VpcSecurityGroupId), DBSubnetGroup.VpcId]")
r ec2 describe-security-groups --filters "Name=group-id,Values=$fn_groups,$db_groups"
r ec2 describe-subnets --filters "Name=vpc-id,Values=$db_vpc"
r ec2 describe-route-tables --filters "Name=vpc-id,Values=$db_vpc"
r ec2 describe-network-acls --filters "Name=vpc-id,Values=$db_vpc"

endpoint_groups=$(q ec2 describe-vpc-endpoints --filters "Name=vpc-id,Values=$vpc" "Name=service-name,Values=com.amazonaws.${REGION}.secretsmanager" \\
  --query 'join(\`,\`, VpcEndpoints[].Groups[].GroupId)')
r ec2 describe-security-groups --filters "Name=group-id,Values=$fn_groups,$endpoint_groups"
if [ "$vpc" != "$db_vpc" ]; then
  r ec2 describe-subnets --filters "Name=vpc-id,Values=$vpc"
  r ec2 describe-route-tables --filters "Name=vpc-id,Values=$vpc"
  r ec2 describe-network-acls --filters "Name=vpc-id,Values=$vpc"
fi

r secretsmanager get-resource-policy --secret-id "$secret"
r lambda get-policy --function-name "$fn"
role_name="\${role##*/}"
for policy in $(q iam list-role-policies --role-name "$role_name" --query 'PolicyNames[]'); do
  r iam get-role-policy --role-name "$role_name" --policy-name "$policy"
done
for arn in $(q iam list-attached-role-policies --role-name "$role_name" --query 'AttachedPolicies[].PolicyArn'); do
  version=$(q iam get-policy --policy-arn "$arn" --query Policy.DefaultVersionId)
  r iam get-policy-version --policy-arn "$arn" --version-id "$version"
done
r iam get-role --role-name "$role_name"

r lambda invoke --function-name "$fn" --payload "$event" "$answer"
`;

const cliEnv = (dir: string) => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: '',
  AWS_DEFAULT_REGION: REGION,
  AWS_PAGER: '',
  // No profile or setting of this machine's user changes what the CLI does.
  AWS_CONFIG_FILE: path.join(dir, 'no-config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
});

/** One run of the script against `endpoint`, its wall clock; the function's answer is checked to be one. */
const runCli = (dir: string, endpoint: string, secretArn: string) =>
  new Promise<number>((resolve, reject) => {
    const answer = path.join(dir, 'answer.json');
    const started = performance.now();
    const child = track(
      // Its own process group, so the deadline kills the aws process it waits for too.
      spawn('bash', [path.join(dir, 'preflight.sh'), endpoint, secretArn, JSON.stringify(databaseLoginEvent(secretArn)), answer], {
        detached: true,
        env: cliEnv(dir),
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
      { group: true },
    );
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`the CLI script failed (${code}): ${stderr.trim()}`));
      else resolve(ms);
    });
  });

// --- The run -------------------------------------------------------------------------------------

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const ms1 = (n: number) => n.toFixed(1);
const tally = (calls: AwsCall[]) => {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(`${c.service}:${c.operation}`, (counts.get(`${c.service}:${c.operation}`) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name} x${n}` : name)).join(', ');
};
/** The calls of `more` beyond those of `base` (a multiset difference). */
const beyond = (more: AwsCall[], base: AwsCall[]) => {
  const left = base.map((c) => `${c.service}:${c.operation}`);
  return more.filter((c) => {
    const at = left.indexOf(`${c.service}:${c.operation}`);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
};
const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { median: median(sorted), p95: nearestRank(sorted, 0.95), min: sorted[0]!, max: sorted.at(-1)! };
};

let exitCode = 1;
try {
  for (const tool of ['aws', 'jq']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) throw new Error(`${tool} is not on PATH`);
  }
  const awsVersion = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  const cliVersion = `${awsVersion.stdout}${awsVersion.stderr}`.trim();
  console.log(`bench preflight: ${RUNS} rounds (${CLI_RUNS} with the CLI script); load average ${load()} at start`);

  const motoPort = await freePortIn(PORTS.from, PORTS.to);
  moto = await startMoto({ port: motoPort });
  track(moto.process);
  const setupStarted = performance.now();
  const { aws, secretArn, functionArn, host } = await build(moto.endpoint);
  console.log(`moto ${moto.endpoint}; built in ${ms1((performance.now() - setupStarted) / 1000)} s: secret at ${host}, function ${functionArn}`);

  const cliDir = tempDir('rc-bench-preflight-cli-');
  writeFileSync(path.join(cliDir, 'preflight.sh'), cliScript, { mode: 0o755 });

  // 1. The calls, counted through the proxy: one preflight (the second of its API process), one CLI run.
  proxy = await startAwsProxy({ target: moto.endpoint, port: await freePortIn(PORTS.from, PORTS.to, [motoPort]) });
  const proxyPort = Number(new URL(proxy.url).port);
  const counting = await startApi(proxy.url, [motoPort, proxyPort]);
  proxy.calls.splice(0); // its boot and first crawl
  const first = await preflight(counting.api, secretArn);
  const firstCalls = proxy.calls.splice(0);
  await preflight(counting.api, secretArn);
  const consoleCalls = proxy.calls.splice(0);
  await runCli(cliDir, proxy.url, secretArn);
  const cliCalls = proxy.calls.splice(0);
  await counting.api.stop();
  await proxy.close();
  proxy = undefined;
  console.log(`console, one preflight: ${consoleCalls.length} AWS calls: ${tally(consoleCalls)}`);
  console.log(
    `  the first of an API process: ${firstCalls.length} calls, ${ms1(first.ms)} ms through the proxy; beyond those: ${tally(beyond(firstCalls, consoleCalls))} (moto has no policy simulator; asked once a process, each answer a 500 the SDK tries again)`,
  );
  console.log(`CLI script, one run: ${cliCalls.length} AWS calls: ${tally(cliCalls)}`);

  // 2. The rounds: one preflight then one CLI run each, on an API process that talks to moto directly.
  const { api } = await startApi(moto.endpoint, [motoPort]);
  const warm = await preflight(api, secretArn);
  checkReport(warm.report);
  for (const check of warm.report.checks) console.log(`  ${check.id.padEnd(24)} ${check.verdict.padEnd(8)} ${check.summary}`);
  const consoleMs: number[] = [];
  const cliMs: number[] = [];
  for (let round = 1; round <= RUNS; round++) {
    const run = await preflight(api, secretArn);
    checkReport(run.report);
    consoleMs.push(run.ms);
    if (round <= CLI_RUNS) cliMs.push(await runCli(cliDir, moto.endpoint, secretArn));
    console.log(`  round ${String(round).padStart(2)}: preflight ${ms1(run.ms)} ms${round <= CLI_RUNS ? `, CLI script ${ms1(cliMs.at(-1)!)} ms` : ''}`);
  }
  await api.stop();

  // 3. The database-login invocation alone, from this process.
  const invokeMs: number[] = [];
  let loginVerdict = '';
  for (let i = 0; i < INVOKES; i++) {
    const started = performance.now();
    const out = await aws.lambda.send(
      new InvokeCommand({ FunctionName: functionArn, Payload: new TextEncoder().encode(JSON.stringify(databaseLoginEvent(secretArn))) }),
    );
    invokeMs.push(performance.now() - started);
    // Verdicts only (the function never answers a value): that of the login, with its category.
    const answer = JSON.parse(new TextDecoder().decode(out.Payload)) as { verdicts?: { check: string; verdict: string; category?: string }[] };
    const login = answer.verdicts?.find((v) => v.check === 'login');
    if (out.FunctionError || !login) throw new Error(`the function did not answer the preflight event (${out.FunctionError ?? 'no login verdict'})`);
    loginVerdict = `${login.verdict}${login.category ? ` (${login.category})` : ''}`;
  }

  const c = stats(consoleMs);
  const k = stats(cliMs);
  const invoke = stats(invokeMs);
  const ratio = c.median / k.median;
  console.log(
    `preflight, ${RUNS} sequential (after one untimed, ${ms1(warm.ms)} ms): median ${ms1(c.median)} ms, p95 ${ms1(c.p95)} ms (min ${ms1(c.min)}, max ${ms1(c.max)})`,
  );
  console.log(
    `CLI script of ${cliCalls.length} aws calls, ${CLI_RUNS} sequential (${cliVersion}): median ${ms1(k.median)} ms, p95 ${ms1(k.p95)} ms (min ${ms1(k.min)}, max ${ms1(k.max)}); ${ms1(k.median / cliCalls.length)} ms a call`,
  );
  console.log(
    `the database-login Invoke alone (SDK, ${INVOKES} times): median ${ms1(invoke.median)} ms, max ${ms1(invoke.max)} ms; its login: ${loginVerdict}, on the RDS host's DNS lookup (moto's host does not resolve)`,
  );
  console.log(`goal preflight median <= ${GOAL} x CLI median: ${ratio.toFixed(3)} x, ${ratio <= GOAL ? 'met' : 'NOT met'}; load average ${load()} at end`);
  console.log(
    JSON.stringify({
      bench: 'preflight',
      runs: RUNS,
      preflight_median_ms: round1(c.median),
      preflight_p95_ms: round1(c.p95),
      cli_runs: CLI_RUNS,
      cli_median_ms: round1(k.median),
      cli_p95_ms: round1(k.p95),
      ratio: Math.round(ratio * 1000) / 1000,
      cli_calls: cliCalls.length,
      console_calls: consoleCalls.length,
      invoke_median_ms: round1(invoke.median),
    }),
  );
  exitCode = 0;
} catch (error) {
  console.error(`bench preflight: ${(error as Error).message}`);
} finally {
  await proxy?.close().catch(() => undefined);
  for (const api of apis) await api.stop().catch(() => undefined);
  await moto?.stop().catch(() => undefined);
  end();
}
process.exit(exitCode);
