// The console's own rotation function at an older version (issue 15): the Functions page says an
// update is available; its owners preview the update (every AWS call, the CLI session, the secrets
// it rotates) and run it as a workflow that redeploys the current code through the function's
// stack, keeping the stack's other parameters; then the page says it is current, and the audit log
// holds who asked and how it ended. Other teams do not see it; viewers may not change it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { AuditPage, FunctionsPage, FunctionUpdatePreview, Workflow } from '@rotation-console/contracts';
import { ROTATION_TEMPLATE_PATH } from '@rotation-console/rotation-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedZip } from '../support/rotation-fixtures.ts';
import { aws, reset } from '../support/support.ts';
import { startTeamsConsole, type Who } from '../support/teams-support.ts';

const FUNCTION_NAME = 'payments-console-rotation';
const STACK_NAME = `SecretsManagerRotation-${FUNCTION_NAME}`;
const OLD_BUCKET = 'rotation-console-old-code';
const OLD_KEY = 'rotation-console/rotation-function-0123456789abcdef.zip';

describe('Updating the console\u2019s function from the Functions page', () => {
  let t: Awaited<ReturnType<typeof startTeamsConsole>>;
  let functionArn: string;
  let oldSha: string;

  const functionsPage = async (who: Who) => FunctionsPage.parse(await (await t.call(who, '/api/v1/functions')).json());
  const preview = (who: Who) => t.call(who, '/api/v1/function-update-previews', { body: { functionArn } });
  const update = (who: Who, acknowledge: boolean) =>
    t.call(who, '/api/v1/function-updates', {
      body: { functionArn, acknowledgeSharedFunction: acknowledge },
      headers: { 'idempotency-key': randomUUID() },
    });
  const waitFor = async (id: string): Promise<Workflow> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const workflow = Workflow.parse(await (await t.call('owner', `/api/v1/workflows/${id}`)).json());
      if (['succeeded', 'failed', 'cancelled'].includes(workflow.status)) return workflow;
      if (Date.now() > deadline) throw new Error(`workflow ${id} still ${workflow.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    await reset();
    // An earlier release of the console deployed the function through its stack, from its own zip.
    const old = storedZip('index.mjs', 'export const handler = async () => { throw new Error("an older release"); };');
    await aws().s3.send(new CreateBucketCommand({ Bucket: OLD_BUCKET }));
    await aws().s3.send(new PutObjectCommand({ Bucket: OLD_BUCKET, Key: OLD_KEY, Body: old }));
    await aws().cloudFormation.send(
      new CreateStackCommand({
        StackName: STACK_NAME,
        TemplateBody: readFileSync(ROTATION_TEMPLATE_PATH, 'utf8'),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: Object.entries({
          functionName: FUNCTION_NAME,
          endpoint: 'https://secretsmanager.us-east-1.amazonaws.com',
          engine: 'mysql',
          rotationStrategy: 'single-user',
          passwordLength: '40',
          codeS3Bucket: OLD_BUCKET,
          codeS3Key: OLD_KEY,
        }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
        Tags: [{ Key: 'team', Value: 'payments' }],
      }),
    );
    const fn = await aws().lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION_NAME }));
    functionArn = fn.Configuration!.FunctionArn!;
    oldSha = fn.Configuration!.CodeSha256!;
    // It rotates one payments secret, so it is payments' (it has no team tag of its own on moto).
    const secret = await aws().secretsManager.send(
      new CreateSecretCommand({
        Name: 'fn/payments/orders',
        SecretString: JSON.stringify({ engine: 'mysql', host: 'db.internal', username: 'app', password: 'not-a-real-one', dbname: 'app', port: 3306 }),
        Tags: [{ Key: 'team', Value: 'payments' }],
      }),
    );
    await aws()
      .secretsManager.send(new RotateSecretCommand({ SecretId: secret.ARN!, RotationLambdaARN: functionArn, RotationRules: { AutomaticallyAfterDays: 30 } }))
      .catch(() => undefined);
    t = await startTeamsConsole();
    await t.console.api.dashboard.crawler.crawlOnce();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When its owner opens the page, then the console\u2019s function shows at an older version', async () => {
    // Act
    const page = await functionsPage('owner');

    // Assert
    const row = page.items.find((r) => r.name === FUNCTION_NAME)!;
    expect(row).toMatchObject({ consoleFunction: true, atCurrentVersion: false, codeSha256: oldSha, owners: ['payments'], secretCount: 1 });
    expect(page.currentCodeSha256).not.toBe(oldSha);
  });

  it('When the update is previewed, then its owner sees every step with its CLI command, the parameters kept and the secret it rotates; another team does not see the function', async () => {
    // Act
    const res = await preview('owner');
    const otherTeam = await preview('other-team');
    const viewer = await preview('viewer');

    // Assert
    expect(res.status).toBe(200);
    const p = FunctionUpdatePreview.parse(await res.json());
    expect(p).toMatchObject({ allowed: true, reason: null, stackName: STACK_NAME, currentCodeSha256: oldSha, acknowledgementRequired: true });
    expect(p.steps.map((s) => s.kind)).toEqual(['upload-function-code', 'create-function-change-set', 'execute-change-set', 'read-function-arn']);
    expect(p.cliSession).toContain(`aws cloudformation create-change-set --stack-name ${STACK_NAME}`);
    expect(p.cliSession).toContain('--change-set-type UPDATE');
    expect(p.cliSession).toContain('ParameterKey=engine,UsePreviousValue=true');
    expect(p.cliSession).toContain('ParameterKey=passwordLength,UsePreviousValue=true');
    expect(p.cliSession).toContain(`aws cloudformation wait stack-update-complete --stack-name ${STACK_NAME}`);
    expect(p.secrets).toEqual([{ name: 'fn/payments/orders', team: 'payments' }]);
    expect(otherTeam.status).toBe(404);
    // Viewers read what it would do; they may not start it (below).
    expect(viewer.status).toBe(200);
  });

  it('When its owner runs the update, then it asks for the acknowledgement first, redeploys the current code through the stack keeping its parameters, the page says current, and the audit log holds both ends', async () => {
    // Arrange
    const current = (await functionsPage('owner')).currentCodeSha256;

    // Act
    const byViewer = await update('viewer', true);
    const unacknowledged = await update('owner', false);
    const started = await update('owner', true);
    const accepted = (await started.json()) as { id: string };
    const workflow = await waitFor(accepted.id);

    // Assert
    expect(byViewer.status).toBe(403);
    expect(unacknowledged.status).toBe(400);
    expect(started.status).toBe(202);
    expect(workflow.status, JSON.stringify(workflow.steps.map((s) => [s.id, s.status, s.error]))).toBe('succeeded');
    const fn = await aws().lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION_NAME }));
    expect(fn.Configuration!.CodeSha256).toBe(current);
    const stack = (await aws().cloudFormation.send(new DescribeStacksCommand({ StackName: STACK_NAME }))).Stacks![0]!;
    const parameters = Object.fromEntries(stack.Parameters!.map((x) => [x.ParameterKey, x.ParameterValue]));
    expect(parameters).toMatchObject({ engine: 'mysql', rotationStrategy: 'single-user', passwordLength: '40', functionName: FUNCTION_NAME });
    expect(parameters.codeS3Key).not.toBe(OLD_KEY);
    const row = (await functionsPage('owner')).items.find((r) => r.name === FUNCTION_NAME)!;
    expect(row).toMatchObject({ atCurrentVersion: true, codeSha256: current });
    const again = FunctionUpdatePreview.parse(await (await preview('owner')).json());
    expect(again.allowed).toBe(false);
    expect(again.reason).toMatch(/already runs the console's current code/);
    const audit = AuditPage.parse(await (await t.call('admin', `/api/v1/audit?subject=${encodeURIComponent(functionArn)}`)).json());
    expect(audit.items.map((a) => [a.action, a.outcome, a.actor.name]).reverse()).toEqual([
      ['function.update', 'accepted', 'svc-payments'],
      ['update-function.finish', 'succeeded', 'svc-payments'],
    ]);
  });
});
