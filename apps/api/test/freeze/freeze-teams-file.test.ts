import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import { FreezeWindowList } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotatesAtOnce } from '../../src/modules/freeze/freeze-gate.ts';
import { loadTeams, TeamsConfigError } from '../../src/platform/teams-config.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

const tempFile = (text: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rc-freeze-')), 'teams.json');
  writeFileSync(file, text);
  return file;
};

/** Payments with a window open every day, all day (the teams file's; it cannot be removed on the portal). */
const ALWAYS = {
  name: 'Change freeze',
  reason: 'Audit season',
  when: { kind: 'weekly', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], from: '00:00', to: '24:00' },
};

let api: Awaited<ReturnType<typeof buildApi>>;

beforeAll(async () => {
  await reset();
  await seedDemoAccount(aws(), motoEndpoint());
  api = await buildApi({ TEAMS_CONFIG: tempFile(JSON.stringify({ teams: { payments: { freezeWindows: [ALWAYS] } } })) });
});
afterAll(() => api?.close());

describe('Freeze windows in the teams file', () => {
  it('When the file lists a window, then the team lists it as the file\u2019s, and removing it on the portal is refused', async () => {
    const list = FreezeWindowList.parse((await request(api.app).get('/api/v1/teams/payments/freeze-windows').expect(200)).body);

    const removal = await request(api.app).delete(`/api/v1/teams/payments/freeze-windows/${list.items[0]!.id}`);

    expect(list.items.map((w) => [w.id, w.name, w.source, w.openNow !== null])).toEqual([['file-1', 'Change freeze', 'teams-file', true]]);
    expect(removal.status).toBe(409);
    expect(removal.body.error.message).toBe('The freeze window Change freeze comes from the teams file; remove it there.');
  });

  it("When a secret of the team is rotated now inside the file's window, then 409 names it and no version is made", async () => {
    const before = await aws().secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: 'prod/payments/orders-db' }));

    const res = await request(api.app)
      .post(`/api/v1/secrets/${encodeURIComponent('prod/payments/orders-db')}/operations`)
      .set('Idempotency-Key', randomUUID())
      .send({ operation: 'rotate-now' });

    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.message).toContain("Team payments's freeze window Change freeze is open until");
    const after = await aws().secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: 'prod/payments/orders-db' }));
    expect(after.Versions?.map((v) => v.VersionId).sort()).toEqual(before.Versions?.map((v) => v.VersionId).sort());
  });

  it("When another team's secret is rotated now, then the payments window does not hold it up", async () => {
    const res = await request(api.app)
      .post(`/api/v1/secrets/${encodeURIComponent('prod/identity/users-db')}/operations`)
      .set('Idempotency-Key', randomUUID())
      .send({ operation: 'rotate-now' });

    expect(res.body.error?.message ?? '').not.toContain('freeze window');
  });

  it('When a window in the file ends before it starts, then the console does not start and names the field', () => {
    const file = tempFile(
      JSON.stringify({
        teams: { payments: { freezeWindows: [{ name: 'Backwards', when: { kind: 'once', start: '2030-01-02T00:00:00Z', end: '2030-01-01T00:00:00Z' } }] } },
      }),
    );

    expect(() => loadTeams(file)).toThrow(TeamsConfigError);
    expect(() => loadTeams(file)).toThrow(/teams\.payments\.freezeWindows\.0\.when\.end.*End must be after the start/);
  });
});

describe('Which workflows a freeze window holds up', () => {
  it('When a workflow rotates at once (rotate now, enabling with "Rotate immediately"), then it is held; turning off, clearing, rolling back and enabling without rotating are not', () => {
    const enable = (rotateImmediately: boolean) => ({
      request: {
        secretId: 's',
        schedule: { kind: 'days', days: 30 },
        rotateImmediately,
        function: { mode: 'create', functionName: 'f', strategy: 'single-user' },
        network: null,
      },
    });

    expect(rotatesAtOnce('rotate-now', {})).toBe(true);
    expect(rotatesAtOnce('enable-rotation', enable(true))).toBe(true);
    expect(rotatesAtOnce('enable-rotation', enable(false))).toBe(false);
    expect(['turn-off', 'clear-stuck', 'roll-back', 'update-function'].map((kind) => rotatesAtOnce(kind, {}))).toEqual([false, false, false, false]);
  });
});
