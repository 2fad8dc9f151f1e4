import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretTimeline } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { aws, motoEndpoint, reset } from '../support/support.ts';
import { startTeamsConsole } from '../support/teams-support.ts';

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

const value = JSON.parse((await aws().secretsManager.send(new GetSecretValueCommand({ SecretId: FAILED }))).SecretString!) as {
  username: string;
  host: string;
};

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
    const described = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: FAILED }));
    const functionName = described.RotationLambdaARN!.split(':').at(-1)!;
    // The stuck rotation's token: the timeline reads that rotation's invocations only.
    const versionId = Object.entries(described.VersionIdsToStages ?? {}).find(
      ([, stages]) => stages?.includes('AWSPENDING') && !stages.includes('AWSCURRENT'),
    )![0];
    const logGroupName = `/aws/lambda/${functionName}`;
    await aws()
      .logs.send(new CreateLogGroupCommand({ logGroupName }))
      .catch((error: Error) => {
        if (error.name !== 'ResourceAlreadyExistsException') throw error;
      });
    await aws().logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'viewer-leaks' }));
    const line = JSON.stringify({
      level: 'info',
      message: 'rotation step succeeded',
      step: 'createSecret',
      secretArn: described.ARN,
      versionId,
      outcome: 'done',
      username: value.username,
    });
    await aws().logs.send(new PutLogEventsCommand({ logGroupName, logStreamName: 'viewer-leaks', logEvents: [{ timestamp: Date.now(), message: line }] }));

    // Act
    const viewer = await t.call('viewer', `/api/v1/secrets/${id}/timeline`);
    const admin = await t.call('admin', `/api/v1/secrets/${id}/timeline`);
    const viewerText = await viewer.text();
    const adminBody = (await admin.json()) as SecretTimeline;

    // Assert
    expect(viewer.status).toBe(200);
    expect(viewerText).not.toContain(value.username);
    expect((JSON.parse(viewerText) as SecretTimeline).failure).toMatchObject({ log: [], logHidden: true, fix: expect.any(String) });
    expect(adminBody.failure!.logHidden).toBe(false);
    expect(JSON.stringify(adminBody.failure!.log)).toContain(value.username);
  });
});
