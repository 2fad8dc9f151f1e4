import { CreateSecretCommand, DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { MasterSecretCandidateList, SecretCheck } from '@rotation-console/contracts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, buildApi, reset } from '../support/support.ts';
import { startTeamsConsole } from '../support/teams-support.ts';

// The master secret picker's list (GET /secrets/{id}/master-secret-candidates), against moto: the
// API reads the candidates' values on the server and offers only those for the same engine, host
// and port that the caller may read, each with its database, never a user name or password.
const HOST = 'orders.cluster-abc.us-east-1.rds.amazonaws.com';
const PASSWORD = 'mc-never-shown-4f2a';
const db = (fields: Record<string, unknown>) =>
  JSON.stringify({ engine: 'postgres', host: HOST, port: 5432, username: 'mc_user', password: PASSWORD, ...fields });

const SECRETS: { name: string; team: string | null; value?: string; binary?: true }[] = [
  { name: 'mc/orders/app', team: 'payments', value: db({ username: 'orders_app' }) },
  { name: 'mc/orders/master', team: 'payments', value: db({ username: 'orders_admin', port: undefined }) },
  { name: 'mc/orders/master-other-port', team: 'payments', value: db({ port: 6432 }) },
  { name: 'mc/orders/master-other-host', team: 'payments', value: db({ host: 'reports.internal' }) },
  { name: 'mc/orders/master-mysql', team: 'payments', value: db({ engine: 'mysql', port: 5432 }) },
  { name: 'mc/orders/master-not-json', team: 'payments', value: `host=${HOST};password=${PASSWORD}` },
  { name: 'mc/orders/master-binary', team: 'payments', binary: true },
  { name: 'mc/orders/master-identity', team: 'identity', value: db({}) },
  { name: 'mc/orders/master-untagged', team: null, value: db({}) },
  { name: 'mc/legacy/app', team: 'payments', value: 'not json at all' },
];

const path = (id: string, query = '') => `/api/v1/secrets/${encodeURIComponent(id)}/master-secret-candidates${query}`;
const namesOf = (list: MasterSecretCandidateList) => list.items.map((c) => c.name).sort();

await reset();
for (const s of SECRETS) {
  await aws().secretsManager.send(
    new CreateSecretCommand({
      Name: s.name,
      ...(s.binary ? { SecretBinary: Buffer.from('binary') } : { SecretString: s.value }),
      ...(s.team ? { Tags: [{ Key: 'team', Value: s.team }] } : {}),
    }),
  );
}

const api = await buildApi();

describe('The master secret candidates, as an admin (AUTH_MODE=local)', () => {
  afterAll(() => api.close());

  it('When an admin opens the picker, then only secrets for the same engine, host and port are offered, of any team, each with its database and never a password', async () => {
    const res = await request(api.app).get(path('mc/orders/app')).expect(200);
    const list = res.body as MasterSecretCandidateList;

    expect(list.database).toEqual({ engine: 'postgres', host: HOST, port: 5432 });
    expect(namesOf(list)).toEqual(['mc/orders/master', 'mc/orders/master-identity', 'mc/orders/master-untagged']);
    expect(list.items.find((c) => c.name === 'mc/orders/master')).toMatchObject({ team: 'payments', database: { engine: 'postgres', host: HOST, port: null } });
    expect(res.text).not.toContain(PASSWORD);
    expect(res.text).not.toContain('orders_admin');
    expect(list.truncated).toBe(false);
  });

  it('When a master secret is made in AWS after the index was crawled, then the picker offers it at once, unfiltered and by its name', async () => {
    await api.dashboard.crawler.crawlOnce();
    await aws().secretsManager.send(
      new CreateSecretCommand({ Name: 'mc/orders/master-new', SecretString: db({ username: 'orders_admin2' }), Tags: [{ Key: 'team', Value: 'payments' }] }),
    );

    const all = (await request(api.app).get(path('mc/orders/app')).expect(200)).body as MasterSecretCandidateList;
    const named = (await request(api.app).get(path('mc/orders/app', '?name=mc/orders/master-n')).expect(200)).body as MasterSecretCandidateList;

    // Gone again, so the team policy's cases below see the secrets they name.
    await aws().secretsManager.send(new DeleteSecretCommand({ SecretId: 'mc/orders/master-new', ForceDeleteWithoutRecovery: true }));
    expect(namesOf(all)).toContain('mc/orders/master-new');
    expect(namesOf(named)).toEqual(['mc/orders/master-new']);
  });

  it('When the picker is filtered by name, then the API narrows the candidates by that prefix', async () => {
    const list = (await request(api.app).get(path('mc/orders/app', '?name=mc/orders/master-i')).expect(200)).body as MasterSecretCandidateList;
    expect(namesOf(list)).toEqual(['mc/orders/master-identity']);
  });

  it('When every offered secret is checked as the master secret, then the check accepts each', async () => {
    const list = (await request(api.app).get(path('mc/orders/app')).expect(200)).body as MasterSecretCandidateList;
    for (const candidate of list.items) {
      const check = (
        await request(api.app)
          .get(`/api/v1/secrets/${encodeURIComponent('mc/orders/app')}/check`)
          .query({ strategy: 'alternating-users', masterSecretId: candidate.arn })
          .expect(200)
      ).body as SecretCheck;
      expect(check.masterSecret, candidate.name).toMatchObject({ ok: true, problems: [] });
    }
  });

  it('When the rotated secret names no database, then nothing is offered and the answer says so', async () => {
    const list = (await request(api.app).get(path('mc/legacy/app')).expect(200)).body as MasterSecretCandidateList;
    expect(list).toEqual({ database: null, items: [], truncated: false });
  });
});

describe('The master secret candidates, by the team policy (AUTH_MODE=oidc)', () => {
  let t: Awaited<ReturnType<typeof startTeamsConsole>>;
  beforeAll(async () => {
    t = await startTeamsConsole();
  });
  afterAll(() => t.close());

  it("When payments' operator opens the picker, then only payments' secrets for the database are offered: not identity's, not an untagged one", async () => {
    const res = await t.call('owner', path('mc/orders/app'));
    expect(res.status).toBe(200);
    expect(namesOf((await res.json()) as MasterSecretCandidateList)).toEqual(['mc/orders/master']);
  });

  it('When an operator of another team or a viewer asks, then the secret is not found (404) or the viewer may not plan (403)', async () => {
    expect((await t.call('other-team', path('mc/orders/app'))).status).toBe(404);
    expect((await t.call('viewer', path('mc/orders/app'))).status).toBe(403);
  });
});
