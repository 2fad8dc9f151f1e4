import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { SchedulePreview, type RotationRequestInput } from '@rotation-console/contracts';
import { startApiProcess } from '@rotation-console/harness/api-process.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTeams, TeamsConfigError } from '../../src/platform/teams-config.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';
import { DEMO_TEAMS_CONFIG } from '../support/teams-support.ts';

const tempFile = (name: string, text: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rc-teams-')), name);
  writeFileSync(file, text);
  return file;
};

/** A database secret in the format the rotation function expects, tagged with a team (or none). */
const createSecret = async (name: string, team: string | null) => {
  const value = JSON.stringify({ engine: 'postgres', host: 'db.internal', username: 'app', password: 'limit-test-password', dbname: 'app', port: 5432 });
  await aws().secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: value, Tags: team ? [{ Key: 'team', Value: team }] : [] }));
  return name;
};

const requestFor = (secretId: string, schedule: RotationRequestInput['schedule']): RotationRequestInput => ({
  secretId,
  schedule,
  rotateImmediately: false,
  function: { mode: 'create', functionName: 'limits-rotation', strategy: 'single-user' },
  network: null,
});

describe('The teams configuration at boot', () => {
  it('When TEAMS_CONFIG names the demo file, then every team is read with its defaults and limits', () => {
    // Act
    const teams = loadTeams(DEMO_TEAMS_CONFIG);

    // Assert
    expect(teams.names()).toEqual(['analytics', 'identity', 'payments']);
    expect(teams.get('payments')).toMatchObject({
      displayName: 'Payments',
      limits: { maxIntervalDays: 90 },
      defaults: { schedule: { kind: 'days', days: 30 }, duration: '4h', network: 'auto' },
    });
    expect(teams.get('unknown')).toBeUndefined();
    expect(teams.get(null)).toBeUndefined();
  });

  it('When TEAMS_CONFIG is unset, then there are no teams and no limits', () => {
    expect(loadTeams(undefined).names()).toEqual([]);
  });

  it.each([
    ['a file that is not JSON', tempFile('teams.json', '{ "teams": '), /is not valid JSON/],
    [
      'a limit that is not a number',
      tempFile('teams.json', JSON.stringify({ teams: { payments: { limits: { maxIntervalDays: 'ninety' } } } })),
      /teams\.payments\.limits\.maxIntervalDays/,
    ],
    ['an unknown field', tempFile('teams.json', JSON.stringify({ teams: { payments: { maxDays: 90 } } })), /teams\.payments: Unrecognized key/i],
    ['a path that does not exist', '/nonexistent/teams.json', /does not exist/],
  ])('When TEAMS_CONFIG is %s, then loading stops with the path and what is wrong', (_what, file, message) => {
    expect(() => loadTeams(file)).toThrow(TeamsConfigError);
    expect(() => loadTeams(file)).toThrow(message);
  });

  it('When the API process boots with a bad teams file, then it stops before listening and says which field is wrong', async () => {
    // Arrange
    const file = tempFile('teams.json', JSON.stringify({ teams: { payments: { limits: { maxIntervalDays: 0 } } } }));

    // Act
    const started = startApiProcess({ AWS_ENDPOINT_URL: motoEndpoint(), DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rc-api-')), TEAMS_CONFIG: file });

    // Assert
    await expect(started).rejects.toThrow(
      /exited \(2\) before listening: rotation-console: TEAMS_CONFIG .*teams\.json is invalid: teams\.payments\.limits\.maxIntervalDays/,
    );
  });
});

describe('Per-team schedule limits, enforced by the API', () => {
  let api: Awaited<ReturnType<typeof buildApi>>;
  const names = {
    payments: 'test/limits/payments-db',
    identity: 'test/limits/identity-db',
    untagged: 'test/limits/untagged-db',
    other: 'test/limits/other-team-db',
  };

  beforeAll(async () => {
    await reset();
    api = await buildApi({ TEAMS_CONFIG: DEMO_TEAMS_CONFIG });
    await createSecret(names.payments, 'payments');
    await createSecret(names.identity, 'identity');
    await createSecret(names.untagged, null);
    await createSecret(names.other, 'marketing');
  });
  afterAll(async () => {
    await api.close();
  });

  it('When a plan asks a payments secret to rotate every 120 days, then 400 names the schedule field and the team\u2019s 90-day limit', async () => {
    // Act
    const res = await request(api.app)
      .post('/api/v1/rotation-plans')
      .send(requestFor(names.payments, { kind: 'days', days: 120 }));

    // Assert
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_input',
      message: 'Team payments allows at most 90 days between rotations; this schedule rotates every 120 days.',
      details: [{ path: 'schedule', message: 'Team payments allows at most 90 days between rotations; this schedule rotates every 120 days.' }],
    });
  });

  it('When a workflow is started with a too-long schedule, then 400 and no workflow is stored', async () => {
    // Act
    const res = await request(api.app)
      .post('/api/v1/workflows')
      .set('Idempotency-Key', 'limits-test-0001')
      .send(requestFor(names.payments, { kind: 'expression', expression: 'rate(91 days)' }));

    // Assert
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'schedule', message: 'Team payments allows at most 90 days between rotations; this schedule rotates every 91 days.' },
    ]);
    expect((await api.store.list({ subject: names.payments, limit: 5 })).items).toHaveLength(0);
  });

  it('When a cron schedule leaves a gap longer than the limit, then its longest gap is named', async () => {
    // Act
    const res = await request(api.app)
      .post('/api/v1/rotation-plans')
      .send(requestFor(names.payments, { kind: 'expression', expression: 'cron(0 8 1 1/4 ? *)' }));

    // Assert
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Team payments allows at most 90 days between rotations; this schedule can leave 123 days between rotations.');
  });

  it('When identity (at most 30 days) asks for 45, then it is refused; payments may have 45', async () => {
    // Act
    const identity = await request(api.app)
      .post('/api/v1/rotation-plans')
      .send(requestFor(names.identity, { kind: 'days', days: 45 }));
    const payments = await request(api.app)
      .post('/api/v1/rotation-plans')
      .send(requestFor(names.payments, { kind: 'days', days: 45 }));

    // Assert
    expect(identity.status).toBe(400);
    expect(identity.body.error.message).toBe('Team identity allows at most 30 days between rotations; this schedule rotates every 45 days.');
    expect(payments.status, JSON.stringify(payments.body)).toBe(200);
    expect(payments.body.schedule.description).toBe('every 45 days');
  });

  it('When a secret has no team, or a team the file does not name, then no limit applies', async () => {
    // Act
    const untagged = await request(api.app)
      .post('/api/v1/rotation-plans')
      .send(requestFor(names.untagged, { kind: 'days', days: 365 }));
    const other = await request(api.app)
      .post('/api/v1/rotation-plans')
      .send(requestFor(names.other, { kind: 'days', days: 365 }));

    // Assert
    expect(untagged.status, JSON.stringify(untagged.body)).toBe(200);
    expect(other.status, JSON.stringify(other.body)).toBe(200);
  });

  it('When the schedule preview names the secret, then the team\u2019s limit shows before submit', async () => {
    // Act
    const res = await request(api.app)
      .post('/api/v1/schedule-previews')
      .send({ schedule: { kind: 'days', days: 120 }, secretId: names.payments })
      .expect(200);
    const preview = SchedulePreview.parse(res.body);

    // Assert
    expect(preview).toMatchObject({
      valid: false,
      errors: ['Team payments allows at most 90 days between rotations; this schedule rotates every 120 days.'],
      description: 'every 120 days',
      limit: { team: 'payments', maxIntervalDays: 90 },
    });
  });

  it('When the preview names a team instead, then that team\u2019s limit applies; within it the schedule is valid', async () => {
    // Act
    const refused = SchedulePreview.parse(
      (
        await request(api.app)
          .post('/api/v1/schedule-previews')
          .send({ schedule: { kind: 'days', days: 31 }, team: 'identity' })
          .expect(200)
      ).body,
    );
    const allowed = SchedulePreview.parse(
      (
        await request(api.app)
          .post('/api/v1/schedule-previews')
          .send({ schedule: { kind: 'days', days: 30 }, team: 'identity' })
          .expect(200)
      ).body,
    );
    const noTeam = SchedulePreview.parse(
      (
        await request(api.app)
          .post('/api/v1/schedule-previews')
          .send({ schedule: { kind: 'days', days: 500 } })
          .expect(200)
      ).body,
    );

    // Assert
    expect(refused).toMatchObject({
      valid: false,
      errors: ['Team identity allows at most 30 days between rotations; this schedule rotates every 31 days.'],
      limit: { team: 'identity', maxIntervalDays: 30 },
    });
    expect(allowed).toMatchObject({ valid: true, errors: [], limit: { team: 'identity', maxIntervalDays: 30 } });
    expect(noTeam).toMatchObject({ valid: true, errors: [], limit: null });
  });

  it('When the preview names a secret that does not exist, then 404', async () => {
    await request(api.app)
      .post('/api/v1/schedule-previews')
      .send({ schedule: { kind: 'days', days: 30 }, secretId: 'test/limits/missing' })
      .expect(404);
  });
});
