// `pnpm bench provisioning`: the same provisioning three ways against one moto server,
// in one process tree: (a) the seed's AWS CLI session, call by call with the AWS CLI v2;
// (b) the floor: the same calls from one Node process with reused SDK clients; (c) the
// console: POST /api/v1/workflows until the workflow reports done. Ends with one JSON line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, CreateVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, DescribeSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { RotationPlan, RotationRequestInput, Workflow } from '@rotation-console/contracts';
import { startApiProcess } from '@rotation-console/harness/api-process.ts';
import { ensureEmulatorCredentials, harnessClients } from '@rotation-console/harness/aws.ts';
import { startMoto } from '@rotation-console/harness/moto.ts';
import { createPostgresLogin, dropPostgresLogins } from '@rotation-console/harness/postgres-logins.ts';
import { buildRotationFunctionZip, readRotationTemplate } from '@rotation-console/rotation-functions';

ensureEmulatorCredentials();
const moto = await startMoto();
const aws = harnessClients(moto.endpoint);
const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
const logins: string[] = [];
const seconds = (ms: number) => Math.round(ms) / 1000;

/** A secret for a real local PostgreSQL login, in its own VPC (each run creates its own endpoint). */
const fixture = async (label: string) => {
  const login = await createPostgresLogin();
  logins.push(login.username);
  const secret = await aws.secretsManager.send(new CreateSecretCommand({ Name: `bench/${label}`, SecretString: login.secretString() }));
  const vpc = (await aws.ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await aws.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.40.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  const group = (await aws.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: `bench-${label}`, Description: 'bench' }))).GroupId!;
  const request: RotationRequestInput = {
    secretId: secret.ARN!,
    schedule: { kind: 'days', days: 30 },
    rotateImmediately: true,
    function: { mode: 'create', functionName: `bench-${label}`, strategy: 'single-user' },
    network: { vpcId: vpc, subnetIds: [subnet], securityGroupIds: [group], createSecretsManagerEndpoint: true },
  };
  return { secretArn: secret.ARN!, request, vpc, subnet, group };
};

const api = await startApiProcess({ AWS_ENDPOINT_URL: moto.endpoint, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rc-bench-')), WORKFLOW_POLL_MS: '20' });
const post = async <T>(route: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${api.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...api.changeHeaders, ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

try {
  const artifact = await buildRotationFunctionZip();
  const workdir = mkdtempSync(path.join(tmpdir(), 'rc-bench-cli-'));
  writeFileSync(path.join(workdir, 'rotation-function.zip'), artifact.zip);
  writeFileSync(path.join(workdir, 'rotation-function.yaml'), await readRotationTemplate());

  // (a) The CLI session the console shows for this request, run command by command.
  const cli = await fixture('cli');
  const plan = await post<RotationPlan>('/api/v1/rotation-plans', cli.request);
  const commands = plan.cliSession.split('\n').flatMap((line) => line.split(' && '));
  const env = { ...process.env, AWS_ENDPOINT_URL: moto.endpoint, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
  const cliStarted = performance.now();
  for (const command of commands) {
    const run = spawnSync('bash', ['-c', command], { cwd: workdir, env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`CLI failed: ${command}\n${run.stderr}`);
  }
  const cliMs = performance.now() - cliStarted;
  const cliRotated = (await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: cli.secretArn }))).RotationEnabled;

  // (b) The floor: the same calls from one process, SDK clients reused, nothing else.
  const floor = await fixture('floor');
  const floorStarted = performance.now();
  const stackName = 'bench-floor-stack';
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-floor' }));
  await s3.send(new PutObjectCommand({ Bucket: 'bench-floor', Key: 'fn.zip', Body: artifact.zip }));
  const template = await readRotationTemplate();
  const changeSet = await aws.cloudFormation.send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: 'floor',
      ChangeSetType: 'CREATE',
      TemplateBody: template,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: Object.entries({
        functionName: 'bench-floor',
        codeS3Bucket: 'bench-floor',
        codeS3Key: 'fn.zip',
        vpcSubnetIds: floor.subnet,
        vpcSecurityGroupIds: floor.group,
      }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }),
  );
  await aws.cloudFormation.send(new DescribeChangeSetCommand({ ChangeSetName: changeSet.Id }));
  await aws.cloudFormation.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.Id }));
  await aws.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const resources = await aws.cloudFormation.send(new DescribeStackResourcesCommand({ StackName: stackName }));
  const fnName = resources.StackResources!.find((r) => r.ResourceType === 'AWS::Lambda::Function')!.PhysicalResourceId!;
  const fn = await aws.lambda.send(new GetFunctionCommand({ FunctionName: fnName }));
  await aws.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: floor.vpc,
      VpcEndpointType: 'Interface',
      ServiceName: 'com.amazonaws.us-east-1.secretsmanager',
      SubnetIds: [floor.subnet],
      SecurityGroupIds: [floor.group],
      PrivateDnsEnabled: true,
    }),
  );
  await aws.secretsManager.send(
    new RotateSecretCommand({ SecretId: floor.secretArn, RotationLambdaARN: fn.Configuration!.FunctionArn!, RotationRules: { AutomaticallyAfterDays: 30 } }),
  );
  await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: floor.secretArn }));
  const floorMs = performance.now() - floorStarted;

  // (c) The console: one POST, then the workflow's own reports until it is done.
  const consoleRun = await fixture('console');
  await post('/api/v1/rotation-plans', consoleRun.request); // warm: the function bundle is built once per process
  const consoleStarted = performance.now();
  const { id } = await post<{ id: string }>('/api/v1/workflows', consoleRun.request, { 'idempotency-key': `bench-${Date.now()}` });
  const acceptedMs = performance.now() - consoleStarted;
  let workflow: Workflow;
  for (;;) {
    workflow = (await (await fetch(`${api.url}/api/v1/workflows/${id}`)).json()) as Workflow;
    if (workflow.status === 'succeeded' || workflow.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const consoleMs = performance.now() - consoleStarted;
  if (workflow.status !== 'succeeded') throw new Error(`console workflow failed: ${workflow.error}`);

  console.log(`(a) AWS CLI session, ${commands.length} commands: ${seconds(cliMs)} s (rotation on: ${cliRotated})`);
  console.log(`(b) floor, one process with reused SDK clients: ${seconds(floorMs)} s`);
  console.log(
    `(c) console, POST /api/v1/workflows until done: ${seconds(consoleMs)} s (${workflow.steps.length} steps, outcome ${workflow.outcome?.result}; planned and accepted in ${Math.round(acceptedMs)} ms)`,
  );
  for (const step of workflow.steps) {
    const ms = step.startedAt && step.finishedAt ? Date.parse(step.finishedAt) - Date.parse(step.startedAt) : null;
    console.log(
      `    ${step.id.padEnd(32)} ${String(ms ?? '-').padStart(5)} ms  from +${step.startedAt ? Date.parse(step.startedAt) - Date.parse(workflow.createdAt) : '-'} ms`,
    );
  }
  console.log(`console/cli = ${(consoleMs / cliMs).toFixed(3)} (goal <= 0.1), console/floor = ${(consoleMs / floorMs).toFixed(2)} (goal <= 3)`);
  console.log(JSON.stringify({ bench: 'provisioning', cli_s: seconds(cliMs), floor_s: seconds(floorMs), console_s: seconds(consoleMs) }));
} finally {
  await api.stop();
  await moto.stop();
  await dropPostgresLogins(logins);
}
