import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretTimeline, Workflow } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/e2e/harness/seed.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { LOG_WITHHELD } from '../src/modules/rotation/function-log.ts';
import { toWorkflowView } from '../src/modules/workflows/workflow-view.ts';
import type { WorkflowWithSteps } from '../src/platform/workflow/records.ts';
import { aws, motoEndpoint, reset } from './support.ts';
import { startTeamsConsole } from './teams-support.ts';

/**
 * Issue 10: no route answers any part of a secret's value to a viewer. AUTH_MODE=oidc with real
 * tokens of the demo provider, against moto seeded with the demo account. The value's parts a
 * route could carry: the host (network discovery reads it) and whatever the rotation function
 * logged (the bundled function logs the user name it set).
 */
const FAILED = 'prod/identity/users-db';
const id = encodeURIComponent(FAILED);

await reset();
await seedDemoAccount(aws(), motoEndpoint());
const t = await startTeamsConsole();
afterAll(() => t.close());

const value = JSON.parse((await aws().secretsManager.send(new GetSecretValueCommand({ SecretId: FAILED }))).SecretString!) as { username: string; host: string };

describe('What a viewer never gets of a secret\u2019s value', () => {
  it("When a viewer asks for a secret's network, then 403 and the answer holds no part of its host; its team's operator gets the host", async () => {
    const viewer = await t.call('viewer', `/api/v1/secrets/${id}/network`);
    const operator = await t.call('other-team', `/api/v1/secrets/${id}/network`); // svc-identity: the secret's own team

    expect(viewer.status).toBe(403);
    expect(await viewer.text()).not.toContain(value.host);
    expect(operator.status).toBe(200);
    expect(((await operator.json()) as { host: string }).host).toBe(value.host);
  });

  it("When a viewer opens the timeline of a secret whose rotation failed, then the failure's step, cause and fix come without the function's log; an admin gets the log", async () => {
    // Arrange: the function logged the user name it was setting, as the bundled function does.
    const functionName = (await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: FAILED }))).RotationLambdaARN!.split(':').at(-1)!;
    const logGroupName = `/aws/lambda/${functionName}`;
    await aws().logs.send(new CreateLogGroupCommand({ logGroupName })).catch((error: Error) => {
      if (error.name !== 'ResourceAlreadyExistsException') throw error;
    });
    await aws().logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'viewer-leaks' }));
    const line = JSON.stringify({ level: 'info', message: 'createSecret: put a new AWSPENDING version', step: 'createSecret', username: value.username });
    await aws().logs.send(new PutLogEventsCommand({ logGroupName, logStreamName: 'viewer-leaks', logEvents: [{ timestamp: Date.now(), message: line }] }));

    // Act
    const viewer = await t.call('viewer', `/api/v1/secrets/${id}/timeline`);
    const admin = await t.call('admin', `/api/v1/secrets/${id}/timeline`);
    const viewerText = await viewer.text();
    const adminBody = (await admin.json()) as SecretTimeline;

    // Assert
    expect(viewer.status).toBe(200);
    expect(viewerText).not.toContain(value.username);
    expect((JSON.parse(viewerText) as SecretTimeline).failure).toMatchObject({ summary: null, logLines: [], cause: 'unknown', fix: expect.any(String) });
    expect(adminBody.failure!.logLines.some((l) => l.includes(`"username":"${value.username}"`))).toBe(true);
  });
});

describe("A failed rotation's workflow, as a viewer sees it", () => {
  const failedWatch = (): WorkflowWithSteps =>
    ({
      id: 'w1',
      kind: 'enable-rotation',
      status: 'failed',
      subject: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db',
      createdBy: { id: 'pat', name: 'Pat' },
      createdAt: '2026-12-01T00:00:00.000Z',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: '2026-12-01T00:01:00.000Z',
      error: 'Step "watch-first-rotation" failed: The rotation failed at setSecret: password authentication failed for user "app_user" at db.internal',
      steps: [
        {
          id: 'watch-first-rotation',
          kind: 'watch-first-rotation',
          title: 'Watch the first rotation',
          status: 'failed',
          position: 0,
          dependsOn: [],
          attempts: 1,
          startedAt: null,
          finishedAt: null,
          awsRequestId: null,
          error: 'The rotation failed at setSecret: password authentication failed for user "app_user" at db.internal',
          output: {
            result: 'failed',
            message: 'The rotation failed at setSecret: password authentication failed for user "app_user" at db.internal',
            failedStep: 'setSecret',
            cause: 'authentication',
            logLines: ['{"step":"setSecret","username":"app_user"}'],
            fix: 'Check the password.',
            versionId: 'v2',
          },
        },
      ],
    }) as unknown as WorkflowWithSteps;

  it("When the caller may not read the secret's value, then the workflow names the failed step, the cause and the fix, and nothing the function logged", () => {
    const seen: Workflow = toWorkflowView(failedWatch(), { functionLog: false });
    const text = JSON.stringify(seen);

    expect(text).not.toContain('app_user');
    expect(text).not.toContain('db.internal');
    expect(seen.outcome).toMatchObject({ result: 'failed', failedStep: 'setSecret', logLines: [], fix: 'Check the password.', message: `The rotation failed at setSecret; ${LOG_WITHHELD}.` });
    expect(seen.error).toBe(`Step "watch-first-rotation" failed: The rotation failed at setSecret; ${LOG_WITHHELD}.`);
    expect(seen.steps[0]!.output).toMatchObject({ cause: 'authentication', failedStep: 'setSecret' });
  });

  it('When the caller may read it, then the workflow keeps the log and the message quoted from it', () => {
    const seen = toWorkflowView(failedWatch(), { functionLog: true });

    expect(seen.outcome!.logLines).toEqual(['{"step":"setSecret","username":"app_user"}']);
    expect(seen.error).toContain('app_user');
  });
});
