import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretDetail } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

const api = await buildApi();
const path = (id: string) => `/api/v1/secrets/${encodeURIComponent(id)}`;

describe('GET /api/v1/secrets/{secretId}', () => {
  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
  });

  it('When a rotated secret is read, then its versions and stages come back and never its value', async () => {
    const value = (await aws().secretsManager.send(new GetSecretValueCommand({ SecretId: 'prod/payments/orders-db' }))).SecretString!;
    const password = JSON.parse(value).password as string;

    const res = await request(api.app).get(path('prod/payments/orders-db')).expect(200);
    const detail = res.body as SecretDetail;

    expect(detail.status).toBe('healthy');
    // The seed's placeholder function failed its first attempt: that version stays, with no labels.
    expect(detail.versions.map((v) => v.stages).sort()).toEqual([[], ['AWSCURRENT'], ['AWSPREVIOUS']]);
    expect(detail.tags).toContainEqual({ key: 'team', value: 'payments' });
    expect(res.text).not.toContain(password);
    expect(api.logs.lines.join('')).not.toContain(password);
  });

  it('When a rotation did not finish, then the status is pending or failed and the reason names the version', async () => {
    const res = await request(api.app).get(path('prod/identity/users-db')).expect(200);
    const detail = res.body as SecretDetail;
    const pending = detail.versions.find((v) => v.stages.includes('AWSPENDING'))!;

    expect(detail.status).toBe('pending_or_failed');
    expect(detail.statusReasons[0]).toContain(pending.versionId);
  });

  it('When a healthy rotated secret is read, then rotate now, turn off and roll back apply and clearing says no rotation is stuck', async () => {
    const detail = (await request(api.app).get(path('prod/payments/orders-db')).expect(200)).body as SecretDetail;
    const previous = detail.versions.find((v) => v.stages.includes('AWSPREVIOUS'))!.versionId;

    expect(detail.operations.map((o) => [o.operation, o.allowed])).toEqual([
      ['rotate-now', true],
      ['turn-off', true],
      ['roll-back', true],
      ['clear-stuck', false],
    ]);
    expect(detail.operations[2]!.reason).toContain(`Version ${previous} has AWSPREVIOUS`);
    expect(detail.operations[3]!.reason).toBe('No rotation is stuck: no version has AWSPENDING without AWSCURRENT, so there is nothing to clear.');
  });

  it('When a rotation did not finish, then clearing applies and says why, and rotating now is refused until it is cleared', async () => {
    const detail = (await request(api.app).get(path('prod/identity/users-db')).expect(200)).body as SecretDetail;
    const pending = detail.versions.find((v) => v.stages.includes('AWSPENDING'))!.versionId;
    const [rotateNow, , , clear] = detail.operations;

    expect(clear).toEqual({
      operation: 'clear-stuck',
      allowed: true,
      reason: `Version ${pending} has AWSPENDING but not AWSCURRENT: a rotation did not finish, and Secrets Manager refuses to start another until it is cleared.`,
    });
    expect(rotateNow).toMatchObject({ operation: 'rotate-now', allowed: false });
    expect(rotateNow!.reason).toContain('Clear the stuck rotation first');
  });

  it('When rotation is not enabled, then rotate now and turn off are refused with the reason', async () => {
    const detail = (await request(api.app).get(path('prod/identity/audit-db')).expect(200)).body as SecretDetail;
    const byOperation = Object.fromEntries(detail.operations.map((o) => [o.operation, o]));

    expect(byOperation['rotate-now']).toMatchObject({ allowed: false, reason: expect.stringMatching(/^Rotation is not configured for this secret/) });
    expect(byOperation['turn-off']).toMatchObject({ allowed: false, reason: 'Rotation is already off for this secret: there is nothing to turn off.' });
  });

  it('When the secret is read by ARN, then the same secret comes back', async () => {
    const byName = (await request(api.app).get(path('prod/identity/audit-db')).expect(200)).body as SecretDetail;
    const byArn = (await request(api.app).get(path(byName.arn)).expect(200)).body as SecretDetail;
    expect(byArn.name).toBe('prod/identity/audit-db');
    expect(byArn.status).toBe('not_enabled');
  });

  it('When the secret does not exist, then 404 says so', async () => {
    const res = await request(api.app).get(path('prod/nope')).expect(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', message: 'Secret "prod/nope" was not found.' });
  });

  it.each(['../../etc/passwd', '..%2F..%2Fapi%2Fv1%2Fhealth', 'secret-ünïcødé-✓', 'x'.repeat(2000)])(
    'When the id is the odd %s, then it is passed to AWS as data and answered 404, never 500',
    async (id) => {
      const res = await request(api.app).get(path(id));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    },
  );

  it('When the id is longer than AWS allows, then 400 says why', async () => {
    const res = await request(api.app)
      .get(path('x'.repeat(2049)))
      .expect(400);
    expect(res.body.error.details[0]).toMatchObject({ path: 'secretId' });
  });

  it('When a secret with odd characters in its name exists, then it is found through the encoded path', async () => {
    const name = 'team/a+b=c.d@e-f_g';
    await aws().secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: '{}' }));
    const res = await request(api.app).get(path(name)).expect(200);
    expect(res.body.name).toBe(name);
  });
});
