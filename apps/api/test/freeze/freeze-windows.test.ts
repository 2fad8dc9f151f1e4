import { randomUUID } from 'node:crypto';
import { DescribeSecretCommand, ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import {
  DashboardPage,
  FreezeWindow,
  FreezeWindowList,
  Portal,
  SecretDetail,
  type NewFreezeWindow,
  type RotationRequestInput,
  type Workflow,
} from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseUserSecret, dropDatabaseUsers } from '../support/rotation-fixtures.ts';
import { aws, motoEndpoint, reset } from '../support/support.ts';
import { DEMO_TEAMS_CONFIG, startTeamsConsole, type Who } from '../support/teams-support.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

let teams: Awaited<ReturnType<typeof startTeamsConsole>>;
let secret: Awaited<ReturnType<typeof createDatabaseUserSecret>>;
let functionArn: string;
const users: string[] = [];

const windowsPath = (team: string) => `/api/v1/teams/${team}/freeze-windows`;
const secretPath = (secretId: string) => `/api/v1/secrets/${encodeURIComponent(secretId)}`;
const json = async (res: Response) =>
  (await res.json()) as Record<string, unknown> & { error?: { message: string; details?: { path: string; message: string }[] } };

/** A one-off window open from an hour ago to `hours` from now. */
const openNow = (name: string, hours = 2): NewFreezeWindow => ({
  name,
  reason: 'Release 42',
  when: { kind: 'once', start: new Date(Date.now() - HOUR_MS).toISOString(), end: new Date(Date.now() + hours * HOUR_MS).toISOString() },
});

const operation = (who: Who, operationName: string, extra: Record<string, unknown> = {}) =>
  teams.call(who, `${secretPath(secret.name)}/operations`, { body: { operation: operationName, ...extra }, headers: { 'idempotency-key': randomUUID() } });

/** Polls the workflow (as the admin) until it ends. */
const finished = async (id: string): Promise<Workflow> => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const workflow = (await (await teams.call('admin', `/api/v1/workflows/${id}`)).json()) as Workflow;
    if (['succeeded', 'failed', 'cancelled'].includes(workflow.status)) return workflow;
    if (Date.now() > deadline) throw new Error(`workflow ${id} still ${workflow.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const versionsOf = async (secretId: string) =>
  Object.fromEntries(
    ((await aws().secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: secretId, IncludeDeprecated: true }))).Versions ?? []).map((v) => [
      v.VersionId!,
      [...(v.VersionStages ?? [])].sort(),
    ]),
  );
const describeSecret = async (secretId: string) => {
  const { $metadata: _m, ...rest } = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
  return rest;
};

beforeAll(async () => {
  await reset();
  await seedDemoAccount(aws(), motoEndpoint());
  teams = await startTeamsConsole({ TEAMS_CONFIG: DEMO_TEAMS_CONFIG });
  // A payments secret whose rotation really runs (the bundled function, a real PostgreSQL login), turned on before any window.
  secret = await createDatabaseUserSecret('test/freeze/orders');
  users.push(secret.username);
  const started = await teams.call('admin', '/api/v1/workflows', {
    body: {
      secretId: secret.name,
      schedule: { kind: 'days', days: 30 },
      rotateImmediately: true,
      function: { mode: 'create', functionName: 'freeze-rotation', strategy: 'single-user' },
      network: null,
    } satisfies RotationRequestInput,
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(started.status).toBe(202);
  expect((await finished(((await started.json()) as { id: string }).id)).status).toBe('succeeded');
  functionArn = (await describeSecret(secret.name)).RotationLambdaARN!;
});
afterAll(async () => {
  await teams?.close();
  await dropDatabaseUsers(users);
});

describe('Freeze windows: who may read and change them', () => {
  it("When the team's operator adds a window, then it is listed with its open occurrence, and the audit log records who added it", async () => {
    const added = await teams.call('owner', windowsPath('payments'), { body: openNow('Release freeze') });
    expect(added.status).toBe(201);
    const window = FreezeWindow.parse(await added.json());

    const list = FreezeWindowList.parse(await json(await teams.call('owner', windowsPath('payments'))));

    expect(list.items.map((w) => [w.name, w.source, w.openNow !== null])).toEqual([['Release freeze', 'portal', true]]);
    const audit = await teams.console.api.store.listAudit({ action: 'freeze-window.add' });
    expect(audit.items[0]).toMatchObject({ subject: 'team payments', outcome: 'succeeded', after: { id: window.id, name: 'Release freeze' } });
  });

  it("When another team's operator or a viewer reads, adds or removes payments' windows, then each is refused with 403 and nothing changes", async () => {
    const id = FreezeWindowList.parse(await json(await teams.call('owner', windowsPath('payments')))).items[0]!.id;

    const answers = [
      await teams.call('other-team', windowsPath('payments')),
      await teams.call('other-team', windowsPath('payments'), { body: openNow('Not ours') }),
      await teams.call('other-team', `${windowsPath('payments')}/${id}`, { method: 'DELETE' }),
      await teams.call('viewer', windowsPath('payments')),
      await teams.call('viewer', windowsPath('payments'), { body: openNow('Not ours') }),
    ];

    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(FreezeWindowList.parse(await json(await teams.call('owner', windowsPath('payments')))).items.map((w) => w.name)).toEqual(['Release freeze']);
  });

  it('When a one-off window ends before it starts, then it is refused with the field and a clear message', async () => {
    const res = await teams.call('owner', windowsPath('payments'), {
      body: { name: 'Backwards', when: { kind: 'once', start: '2030-01-02T00:00:00Z', end: '2030-01-01T00:00:00Z' } },
    });

    expect(res.status).toBe(400);
    expect((await json(res)).error!.details).toEqual([{ path: 'when.end', message: 'End must be after the start.' }]);
  });
});

describe('Freeze windows: the console starts no rotation inside one', () => {
  it("When the team's operator rotates now inside the window, then 409 names the window, its end and the override, and AWS is untouched", async () => {
    const versionsBefore = await versionsOf(secret.name);
    const describedBefore = await describeSecret(secret.name);

    const res = await operation('owner', 'rotate-now');

    expect(res.status).toBe(409);
    const message = (await json(res)).error!.message;
    expect(message).toMatch(/freeze window Release freeze is open until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(message).toContain('An admin may override it with a reason');
    expect(message).toContain('Turning rotation off');
    // No new version, no label moved (moto leaves the enabling rotation's AWSPENDING where it was, unlike AWS), nothing in DescribeSecret changed.
    expect(await versionsOf(secret.name)).toEqual(versionsBefore);
    expect(await describeSecret(secret.name)).toEqual(describedBefore);
  });

  it('When the operator asks to override, then 403 says only an admin may', async () => {
    const res = await operation('owner', 'rotate-now', { overrideFreeze: { reason: 'hotfix' } });

    expect(res.status).toBe(403);
    expect((await json(res)).error!.message).toContain('Only an admin may override');
  });

  it('When the wizard plans and saves with "Rotate immediately" inside the window, then the plan warns and Save is refused', async () => {
    const request = {
      secretId: secret.name,
      schedule: { kind: 'days', days: 30 },
      rotateImmediately: true,
      function: { mode: 'existing', functionArn, strategy: 'single-user' },
      network: null,
    } satisfies RotationRequestInput;

    const plan = await teams.call('owner', '/api/v1/rotation-plans', { body: request });
    const res = await teams.call('owner', '/api/v1/workflows', { body: request, headers: { 'idempotency-key': randomUUID() } });

    expect(plan.status).toBe(200);
    expect(((await plan.json()) as { warnings: string[] }).warnings.find((w) => w.startsWith('Save will be refused'))).toContain('Release freeze');
    expect(res.status).toBe(409);
    expect((await json(res)).error!.message).toContain('Release freeze');
  });

  it('When the wizard plans a daily schedule without rotating at once, then it names the window its next rotations fall in, and Save is not refused for it', async () => {
    const launch: NewFreezeWindow = {
      name: 'Launch week',
      when: { kind: 'once', start: new Date(Date.now() + HOUR_MS).toISOString(), end: new Date(Date.now() + 3 * DAY_MS).toISOString() },
    };
    const added = FreezeWindow.parse(await (await teams.call('owner', windowsPath('payments'), { body: launch })).json());

    const plan = await teams.call('owner', '/api/v1/rotation-plans', {
      body: {
        secretId: secret.name,
        schedule: { kind: 'expression', expression: 'rate(1 day)' },
        rotateImmediately: false,
        function: { mode: 'existing', functionArn, strategy: 'single-user' },
        network: null,
      } satisfies RotationRequestInput,
    });
    await teams.call('owner', `${windowsPath('payments')}/${added.id}`, { method: 'DELETE' });

    const body = (await plan.json()) as { warnings: string[] };
    expect(plan.status, JSON.stringify(body)).toBe(200);
    const { warnings } = body;
    expect(warnings.some((w) => w.startsWith('Save will be refused'))).toBe(false);
    expect(warnings.filter((w) => w.includes('Launch week'))).toEqual([
      expect.stringMatching(/^The scheduled rotation of \d{4}-\d\d-\d\d falls in the freeze window Launch week \(.+ UTC – .+ UTC\)\.$/),
    ]);
  });

  it('When an admin overrides with a reason, then the secret rotates and the audit record keeps the reason and the window', async () => {
    const before = await versionsOf(secret.name);

    const res = await operation('admin', 'rotate-now', { overrideFreeze: { reason: 'Security fix INC-7' } });

    expect(res.status).toBe(202);
    const workflow = await finished(((await res.json()) as { id: string }).id);
    expect(workflow.status).toBe('succeeded');
    expect(Object.keys(await versionsOf(secret.name)).length).toBeGreaterThan(Object.keys(before).length);
    const audit = await teams.console.api.store.listAudit({ workflowId: workflow.id, action: 'secret.rotate-now' });
    expect(audit.items[0]!.after).toMatchObject({ freezeOverride: { reason: 'Security fix INC-7', windows: [{ name: 'Release freeze' }] } });
  });

  it("When the secret's next rotation falls in a window, then its page and the portal warn with the window's name and times", async () => {
    const next = Date.parse((await describeSecret(secret.name)).NextRotationDate?.toISOString() ?? '') || Date.now() + 30 * DAY_MS;
    const close: NewFreezeWindow = {
      name: 'Quarter close',
      when: { kind: 'once', start: new Date(next - 2 * DAY_MS).toISOString(), end: new Date(next + 2 * DAY_MS).toISOString() },
    };
    expect((await teams.call('owner', windowsPath('payments'), { body: close })).status).toBe(201);
    await teams.console.api.dashboard.crawler.crawlOnce();

    const detail = SecretDetail.parse(await json(await teams.call('owner', secretPath(secret.name))));
    const portal = Portal.parse(await json(await teams.call('owner', '/api/v1/portal?team=payments')));
    const dashboard = DashboardPage.parse(await json(await teams.call('viewer', `/api/v1/dashboard/secrets?name=${encodeURIComponent(secret.name)}`)));

    expect(detail.freezeWarning?.message).toMatch(/^Next rotation falls in the freeze window Quarter close \(.+ UTC – .+ UTC\)\.$/);
    const row = portal.teams[0]!.secrets.find((s) => s.name === secret.name)!;
    expect(row.freezeWarning?.windowName).toBe('Quarter close');
    expect(portal.teams[0]!.counts.inFreezeWindow).toBeGreaterThanOrEqual(1);
    // The dashboard's list too, for anyone who reads it (a viewer).
    expect(dashboard.items.find((s) => s.name === secret.name)?.freezeWarning?.windowName).toBe('Quarter close');
  });

  it("When the open window is removed, then the team's operator's rotate now runs again", async () => {
    const list = FreezeWindowList.parse(await json(await teams.call('owner', windowsPath('payments'))));
    const release = list.items.find((w) => w.name === 'Release freeze')!;
    expect((await teams.call('owner', `${windowsPath('payments')}/${release.id}`, { method: 'DELETE' })).status).toBe(204);

    const res = await operation('owner', 'rotate-now');

    expect(res.status).toBe(202);
    expect((await finished(((await res.json()) as { id: string }).id)).status).toBe('succeeded');
    expect((await teams.console.api.store.listAudit({ action: 'freeze-window.remove' })).items[0]).toMatchObject({ before: { name: 'Release freeze' } });
  });

  it('When rotation is turned off inside the window, then it is allowed (it rotates nothing)', async () => {
    expect((await teams.call('owner', windowsPath('payments'), { body: openNow('Change freeze') })).status).toBe(201);

    const res = await operation('owner', 'turn-off');

    expect(res.status).toBe(202);
    expect((await finished(((await res.json()) as { id: string }).id)).status).toBe('succeeded');
    expect((await describeSecret(secret.name)).RotationEnabled).toBe(false);
  });
});
