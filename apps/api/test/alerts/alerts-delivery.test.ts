import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateSecretCommand, PutSecretValueCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { AlertChannelCreated, AlertChannelList, AlertDeliveryPage } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { FIXES } from '@rotation-console/rotation';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/platform/db/test-database.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionFromSource } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';
import { signatureValid, startHttpReceiver, startSmtpReceiver, type Received } from './receivers.ts';

/**
 * Alerts end to end (issue 16, item 2): secrets in moto, the index crawled from it, the rules
 * evaluated, the outbox sent to a webhook receiver, a "Slack" receiver and an SMTP server with
 * STARTTLS, all on 127.0.0.1. The alerts' clock is the test's (rate limit, back-off, the window).
 */

/** A value that must never leave Secrets Manager: the failing secret holds it, and its function even logs it. */
const CANARY = 'CANARYv4lu3Xq9Zt7Lm2Wd8';
const SIGNING_SECRET = 'test-signing-secret-of-the-ops-webhook';
const PUBLIC_URL = 'https://console.example.com';
const HOUR = 3_600_000;

/** Fails at setSecret, as the bundled function logs it, and prints the secret's password (a careless function). */
const failingFunction = `
export const handler = async (event) => {
  const base = { step: event.Step, secretArn: event.SecretId, versionId: event.ClientRequestToken };
  if (event.Step === 'setSecret') {
    console.log(JSON.stringify({ level: 'error', message: 'rotation step failed', ...base, outcome: 'failed', errorCategory: 'network', error: 'connect ETIMEDOUT 10.20.1.15:5432 password=${CANARY}' }));
    throw new Error('setSecret failed: connect ETIMEDOUT 10.20.1.15:5432');
  }
  console.log(JSON.stringify({ level: 'info', message: 'rotation step succeeded', ...base, outcome: 'done' }));
};
`;

/** Quoted-printable undone, so a value split across an email's lines is still found. */
const decodeMail = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const ofType = (received: Received[], type: string) => received.filter((r) => r.body.type === type);

describe.each(TEST_DIALECTS)('Alerts on %s', (dialect) => {
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);

  let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let api: Awaited<ReturnType<typeof buildApi>>;
  let dataDir: string;
  let env: Record<string, string>;
  let alertsEnv: NodeJS.ProcessEnv;
  let failingArn: string;
  let database: TestDatabase | null;

  const crawlAndEvaluate = async () => {
    await api.dashboard.crawler.crawlOnce();
    await api.alerts.evaluate();
    await api.alerts.dispatch();
  };

  beforeAll(async () => {
    offset = 0;
    database = dialect === 'postgres' ? await createTestDatabase('postgres') : null;
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    receiver = await startHttpReceiver();
    smtp = await startSmtpReceiver();
    const dir = mkdtempSync(path.join(tmpdir(), 'rc-alerts-'));
    const teamsFile = path.join(dir, 'teams.json');
    writeFileSync(
      teamsFile,
      JSON.stringify({
        teams: {
          ops: {
            alerts: {
              channels: [
                { kind: 'webhook', name: 'Ops webhook', urlEnv: 'OPS_HOOK_URL', signingSecretEnv: 'OPS_HOOK_SECRET' },
                { kind: 'slack', name: 'Ops Slack', url: `${receiver.url}/slack` },
                { kind: 'email', name: 'Ops email', to: ['ops@example.com'] },
              ],
            },
          },
          payments: { alerts: { channels: [{ kind: 'webhook', name: 'Payments webhook', urlEnv: 'PAYMENTS_HOOK_URL', signingSecretEnv: 'OPS_HOOK_SECRET' }] } },
        },
      }),
    );
    const caFile = path.join(dir, 'smtp-ca.pem');
    writeFileSync(caFile, smtp.ca);
    dataDir = mkdtempSync(path.join(tmpdir(), 'rc-alerts-data-'));
    env = {
      DATA_DIR: dataDir,
      TEAMS_CONFIG: teamsFile,
      PUBLIC_URL,
      SMTP_URL: smtp.url,
      SMTP_CA_FILE: caFile,
      ALERTS_FROM: 'Rotation Console <alerts@example.com>',
      ALERTS_RATE_PER_MINUTE: '5',
      ALERTS_RETRY_BASE_MS: '60000',
      ALERTS_DIGEST_AT: 'MON 08:00',
      ...(database ? { DATABASE_URL: database.options.url! } : {}),
    };
    alertsEnv = { OPS_HOOK_URL: `${receiver.url}/hook`, PAYMENTS_HOOK_URL: `${receiver.url}/payments`, OPS_HOOK_SECRET: SIGNING_SECRET };

    // The ops team's secret whose rotation fails at setSecret (the harness runs the function under node).
    const fn = await createFunctionFromSource('alerts-failing-function', failingFunction);
    const secret = await aws().secretsManager.send(
      new CreateSecretCommand({
        Name: 'alerts/ops/orders-db',
        SecretString: JSON.stringify({ engine: 'postgres', host: 'db.internal', username: 'app', password: CANARY }),
        Tags: [{ Key: 'team', Value: 'ops' }],
      }),
    );
    failingArn = secret.ARN!;
    await aws().secretsManager.send(new RotateSecretCommand({ SecretId: failingArn, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 30 } }));
    api = await buildApi(env, { now: clock, env: alertsEnv });
  });

  afterAll(async () => {
    await api?.close();
    await receiver?.close();
    await smtp?.close();
    await database?.drop();
  });

  describe('Alerts to the team that owns the secret', () => {
    it('When a rotation fails, then each channel of the team gets one alert with the step, the reason, the fix and a link to the secret', async () => {
      // Act
      await crawlAndEvaluate();

      // Assert: the webhook, signed.
      const hooks = ofType(receiver.at('/hook'), 'rotation-failed');
      expect(hooks).toHaveLength(1);
      const hook = hooks[0]!;
      expect(signatureValid(hook, SIGNING_SECRET)).toBe(true);
      expect(signatureValid(hook, 'another-secret')).toBe(false);
      expect(hook.headers['x-rotation-console-timestamp']).toBe(String(hook.body.timestamp));
      expect(hook.body).toMatchObject({
        type: 'rotation-failed',
        team: 'ops',
        title: 'Rotation failed: alerts/ops/orders-db',
        secret: {
          name: 'alerts/ops/orders-db',
          arn: failingArn,
          accountId: '123456789012',
          region: 'us-east-1',
          url: `${PUBLIC_URL}/secrets/${encodeURIComponent(failingArn)}`,
        },
        fields: { Step: 'setSecret', Fix: FIXES.network, Account: '123456789012', Region: 'us-east-1' },
      });
      expect((hook.body.fields as Record<string, string>).Reason).toContain('connect ETIMEDOUT 10.20.1.15:5432');
      // Slack's incoming webhook format.
      const slack = receiver.at('/slack').filter((r) => r.body.text === 'Rotation failed: alerts/ops/orders-db');
      expect(slack).toHaveLength(1);
      expect(JSON.stringify(slack[0]!.body.blocks)).toContain('setSecret');
      // Email over STARTTLS.
      const mails = smtp.mails.filter((m) => m.raw.includes('Subject: [Rotation Console] Rotation failed: alerts/ops/orders-db'));
      expect(mails).toHaveLength(1);
      expect(mails[0]!).toMatchObject({ to: ['ops@example.com'], from: 'alerts@example.com', secure: true });
      expect(decodeMail(mails[0]!.raw)).toContain('Step: setSecret');
      // Payments' channel hears nothing of ops' secret.
      expect(receiver.at('/payments').filter((r) => JSON.stringify(r.body).includes('alerts/ops/'))).toHaveLength(0);
    });

    it('When the rules are evaluated again and the index crawled again, then no second alert goes out for the same failure', async () => {
      // Act
      await crawlAndEvaluate();
      await api.alerts.evaluate([failingArn]);
      await api.alerts.dispatch();

      // Assert
      expect(ofType(receiver.at('/hook'), 'rotation-failed')).toHaveLength(1);
      expect(smtp.mails.filter((m) => m.raw.includes('Rotation failed: alerts/ops/orders-db'))).toHaveLength(1);
    });

    it('When a secret of a team with a channel is overdue, then its team gets one "Rotation overdue" alert', async () => {
      // Arrange: the demo's payments secret whose rotation is overdue (seed.ts).

      // Act
      await crawlAndEvaluate();
      await crawlAndEvaluate();

      // Assert
      const overdue = ofType(receiver.at('/payments'), 'overdue');
      expect(overdue.map((r) => r.body.title)).toEqual(['Rotation overdue: prod/payments/ledger-app']);
      expect(String(overdue[0]!.body.summary)).toMatch(/was due by .* and has not happened/);
      expect(signatureValid(overdue[0]!, SIGNING_SECRET)).toBe(true);
    });

    it('When AWSPENDING stays on a version longer than the rotation window, then "AWSPENDING stuck" is sent once, not before', async () => {
      // Arrange: a version left under AWSPENDING (no function: nobody saw it fail).
      const stuck = await aws().secretsManager.send(
        new CreateSecretCommand({ Name: 'alerts/ops/stuck-db', SecretString: '{"engine":"postgres"}', Tags: [{ Key: 'team', Value: 'ops' }] }),
      );
      await aws().secretsManager.send(
        new PutSecretValueCommand({ SecretId: stuck.ARN, SecretString: '{"engine":"postgres","v":2}', VersionStages: ['AWSPENDING'] }),
      );
      await crawlAndEvaluate();
      expect(ofType(receiver.at('/hook'), 'pending-stuck')).toHaveLength(0);

      // Act: past the default window (24h).
      offset += 25 * HOUR;
      await crawlAndEvaluate();
      await crawlAndEvaluate();

      // Assert
      const alerts = ofType(receiver.at('/hook'), 'pending-stuck');
      expect(alerts.map((r) => r.body.title)).toEqual(['AWSPENDING stuck: alerts/ops/stuck-db']);
      expect(alerts[0]!.body.fields).toMatchObject({ 'Rotation window': '24h' });
    });

    it('When more alerts are due than a channel takes in a minute, then the first go one by one and the rest in one "more alerts" message', async () => {
      // Arrange: a fresh minute, and seven more stuck secrets.
      offset += 61_000;
      const names = Array.from({ length: 7 }, (_, i) => `alerts/ops/burst-${i}`);
      for (const name of names) {
        const s = await aws().secretsManager.send(
          new CreateSecretCommand({ Name: name, SecretString: '{"engine":"postgres"}', Tags: [{ Key: 'team', Value: 'ops' }] }),
        );
        await aws().secretsManager.send(new PutSecretValueCommand({ SecretId: s.ARN, SecretString: '{"v":2}', VersionStages: ['AWSPENDING'] }));
      }
      const before = receiver.at('/hook').length;

      // Act
      await crawlAndEvaluate();

      // Assert: 5 a minute = 4 alerts and one that folds the other 3.
      const sent = receiver.at('/hook').slice(before);
      expect(sent).toHaveLength(5);
      expect(ofType(sent, 'pending-stuck')).toHaveLength(4);
      const folded = ofType(sent, 'folded');
      expect(folded).toHaveLength(1);
      // Every burst secret is told once: one by one or in the folded message (alerts queued at one instant go in no set order).
      const foldedTitles = (folded[0]!.body.items as { text: string }[]).map((i) => i.text);
      expect(foldedTitles).toHaveLength(3);
      expect([...ofType(sent, 'pending-stuck').map((r) => String(r.body.title)), ...foldedTitles].sort()).toEqual(
        names.map((n) => `AWSPENDING stuck: ${n}`).sort(),
      );
      const log = AlertDeliveryPage.parse((await request(api.app).get('/api/v1/teams/ops/alert-deliveries?limit=200').expect(200)).body);
      expect(log.items.filter((d) => d.channelName === 'Ops webhook' && d.outcome === 'folded')).toHaveLength(3);

      // And the next minute's evaluation sends nothing again.
      offset += 61_000;
      await crawlAndEvaluate();
      expect(receiver.at('/hook').length).toBe(before + 5);
    });

    it('When a channel is added on the portal and its receiver fails once, then the test alert is retried after the back-off and the log shows both attempts', async () => {
      // Arrange
      receiver.answerNext('/flaky', 500);
      const created = AlertChannelCreated.parse(
        (
          await request(api.app)
            .post('/api/v1/teams/ops/alert-channels')
            .send({ kind: 'webhook', name: 'Flaky receiver', url: `${receiver.url}/flaky` })
            .expect(201)
        ).body,
      );
      expect(created.signingSecret).toMatch(/^whsec_/);
      // The URL is a credential: the list shows the host and a masked path only.
      const list = await request(api.app).get('/api/v1/teams/ops/alert-channels').expect(200);
      expect(list.text).not.toContain('/flaky');
      expect(AlertChannelList.parse(list.body).items.map((c) => c.name)).toEqual(['Ops webhook', 'Ops Slack', 'Ops email', 'Flaky receiver']);

      // Act
      await request(api.app).post(`/api/v1/teams/ops/alert-channels/${created.channel.id}/tests`).expect(202);
      await api.alerts.dispatch();
      const afterFirst = receiver.at('/flaky').length;
      await api.alerts.dispatch(); // before the back-off: nothing
      const beforeBackoff = receiver.at('/flaky').length;
      offset += 60_000;
      await api.alerts.dispatch();

      // Assert
      expect([afterFirst, beforeBackoff, receiver.at('/flaky').length]).toEqual([1, 1, 2]);
      const last = receiver.at('/flaky')[1]!;
      expect(last.body).toMatchObject({ type: 'test', title: 'Test alert for team ops' });
      expect(signatureValid(last, created.signingSecret!)).toBe(true);
      const log = AlertDeliveryPage.parse((await request(api.app).get(`/api/v1/teams/ops/alert-deliveries?channelId=${created.channel.id}`).expect(200)).body);
      expect(log.items.map((d) => [d.attempt, d.outcome, d.httpStatus])).toEqual([
        [2, 'delivered', 200],
        [1, 'retrying', 500],
      ]);
    });

    it('When the API stops with an alert still in the outbox, then the next process sends it', async () => {
      // Arrange: queued, not sent.
      const channel = (await api.alerts.channels.ofTeam('ops')).find((c) => c.view.name === 'Ops webhook')!;
      const alertId = await api.alerts.sendTest('ops', channel.view.id, channel.view.name);
      await api.close();

      // Act: another process on the same database.
      api = await buildApi(env, { now: clock, env: alertsEnv });
      await api.alerts.dispatch();

      // Assert
      const got = receiver.at('/hook').filter((r) => r.body.id === alertId);
      expect(got).toHaveLength(1);
      expect(got[0]!.headers['x-rotation-console-alert']).toBe(alertId);
    });

    it('When the weekly digest is due, then each team with a channel gets what rotates in the next 7 days', async () => {
      // Arrange: the Monday 08:00 UTC within the week before payments' orders-db is due.
      await api.dashboard.crawler.crawlOnce();
      const row = (await api.dashboard.index.rows({ namePrefix: 'prod/payments/orders-db' }, { sort: 'name', order: 'asc' }, 0, 1))[0]!;
      const due = new Date(row.due_at!);
      const monday = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth(), due.getUTCDate(), 8, 0));
      monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
      if (monday >= due) monday.setUTCDate(monday.getUTCDate() - 7);
      offset = monday.getTime() + 30_000 - Date.now();

      // Act
      await api.alerts.evaluate();
      await api.alerts.evaluate();
      await api.alerts.dispatch();

      // Assert
      const digests = ofType(receiver.at('/payments'), 'weekly-digest').filter((r) => Date.parse(String(r.body.occurredAt)) >= monday.getTime());
      expect(digests).toHaveLength(1);
      const items = (digests[0]!.body.items as { text: string; url: string | null }[]).map((i) => i.text);
      expect(items.some((t) => t.startsWith('prod/payments/orders-db: due by'))).toBe(true);
      expect(items.every((t) => !t.includes('identity'))).toBe(true);
    });

    it('When two API processes dispatch the same outbox at once, then each alert is sent once', async () => {
      // Arrange: a second process on the same database, and alerts queued for one channel.
      const other = await buildApi(env, { now: clock, env: alertsEnv });
      const channel = (await api.alerts.channels.ofTeam('ops')).find((c) => c.view.name === 'Ops webhook')!;
      offset += 61_000;
      const ids = [await api.alerts.sendTest('ops', channel.view.id, 'Ops webhook'), await api.alerts.sendTest('ops', channel.view.id, 'Ops webhook')];

      // Act
      await Promise.all([api.alerts.dispatch(), other.alerts.dispatch(), api.alerts.dispatch(), other.alerts.dispatch()]);
      await Promise.all([api.alerts.dispatch(), other.alerts.dispatch()]);
      await other.close();

      // Assert
      expect(ids.map((id) => receiver.at('/hook').filter((r) => r.body.id === id).length)).toEqual([1, 1]);
    });

    it('When the alerts run (server.ts starts them) and a secret is re-indexed alone, then its failure is alerted without anyone asking', async () => {
      // Arrange: started, its first evaluation over; then a new failing rotation.
      api.alerts.start();
      await api.alerts.evaluate();
      const fn = await createFunctionFromSource(`alerts-hooked-${dialect}`, failingFunction);
      const secret = await aws().secretsManager.send(
        new CreateSecretCommand({ Name: 'alerts/ops/hooked-db', SecretString: '{"engine":"postgres"}', Tags: [{ Key: 'team', Value: 'ops' }] }),
      );
      await aws().secretsManager.send(new RotateSecretCommand({ SecretId: secret.ARN, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 30 } }));

      // Act: what a workflow's end or a refresh does.
      await api.dashboard.crawler.refreshSecret(secret.ARN!);

      // Assert
      await expect
        .poll(() => ofType(receiver.at('/hook'), 'rotation-failed').filter((r) => r.body.title === 'Rotation failed: alerts/ops/hooked-db').length)
        .toBe(1);
      await api.alerts.stop();
    });

    it('When every message of this file is read, then the canary secret value is in none of them, nor in the delivery log', async () => {
      const log = await request(api.app).get('/api/v1/teams/ops/alert-deliveries?limit=200').expect(200);
      expect(receiver.received.length).toBeGreaterThan(10);
      expect(smtp.mails.length).toBeGreaterThan(0);
      for (const r of receiver.received) expect(r.raw).not.toContain(CANARY);
      for (const m of smtp.mails) expect(decodeMail(m.raw)).not.toContain(CANARY);
      expect(log.text).not.toContain(CANARY);
      // The reason still says what failed, with the function's password masked.
      const failed = ofType(receiver.at('/hook'), 'rotation-failed')[0]!;
      expect((failed.body.fields as Record<string, string>).Reason).toContain('password=[redacted]');
    });
  });

  describe('Channel URLs', () => {
    it.each([
      ['http://example.com/hook', 'must start with https://'],
      ['https://169.254.169.254/latest/meta-data', 'link-local or instance metadata'],
      ['https://[fe80::1]/hook', 'link-local or instance metadata'],
      ['https://[::ffff:169.254.169.254]/latest', 'link-local or instance metadata'],
      ['http://10.0.0.5/hook', 'must start with https://'],
      ['ftp://example.com/hook', 'must start with https://'],
      ['not a url', 'not valid'],
    ])('When a webhook is added with %s, then it is refused with a clear error', async (url, words) => {
      const res = await request(api.app)
        .post('/api/v1/teams/ops/alert-channels')
        .send({ kind: 'webhook', name: `Bad ${url}`, url })
        .expect(400);
      expect(res.body.error.message).toContain(words);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'url' })]);
    });

    it('When a channel from the teams file is removed on the portal, then it is refused (the file says it)', async () => {
      const channel = (await api.alerts.channels.ofTeam('ops')).find((c) => c.view.name === 'Ops Slack')!;
      await request(api.app).delete(`/api/v1/teams/ops/alert-channels/${channel.view.id}`).expect(409);
    });

    it('When a portal channel is removed, then it leaves the list', async () => {
      const created = AlertChannelCreated.parse(
        (
          await request(api.app)
            .post('/api/v1/teams/ops/alert-channels')
            .send({ kind: 'email', name: 'On call', to: ['oncall@example.com'] })
            .expect(201)
        ).body,
      );
      await request(api.app).delete(`/api/v1/teams/ops/alert-channels/${created.channel.id}`).expect(204);
      const list = AlertChannelList.parse((await request(api.app).get('/api/v1/teams/ops/alert-channels').expect(200)).body);
      expect(list.items.map((c) => c.name)).not.toContain('On call');
      // Both changes are in the audit log, with the destination and never more.
      const audit = await api.store.listAudit({ subject: `team:ops/alert-channel/${created.channel.id}`, limit: 10 });
      expect(audit.items.map((a) => a.action).sort()).toEqual(['alert-channel.add', 'alert-channel.remove']);
    });
  });
});
