import { CreateSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { Calendar } from '@rotation-console/contracts';
import { DEMO_SECRETS, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EarliestWindows, secretWindows } from '../../src/modules/dashboard/calendar.ts';
import { csvCell } from '../../src/modules/dashboard/csv.ts';
import { toIndexRow, type IndexRow } from '../../src/modules/dashboard/index-row.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

const DAY_MS = 86_400_000;
const INJECTION_NAME = "=cmd|' /C calc'!A0";
const QUOTED_DESCRIPTION = 'Orders "primary", EU; the team said "never rotate"';
const CSV_SECRET_VALUE = 'csv-export-never-shows-this-Pw9';

/** The demo seed's passwords (packages/harness/seed.ts demoPassword). */
const demoPassword = (name: string) => `demo-${Buffer.from(name).toString('base64url').slice(0, 12)}-Pw1`;

/** RFC 4180, enough for the test: quoted cells, doubled quotes, CRLF rows. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
};

const utcMidnight = (iso: string) => {
  const d = new Date(iso);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};

describe('The dashboard CSV export and calendar', () => {
  let api: Api;
  let injectionName: string;

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    // AWS allows only letters, digits and /_+=.@- in a name; moto takes any, which lets the test
    // try the classic payload. Where an endpoint refuses it, a name with the allowed = and + stands in.
    injectionName = await aws()
      .secretsManager.send(
        new CreateSecretCommand({
          Name: INJECTION_NAME,
          Description: QUOTED_DESCRIPTION,
          SecretString: CSV_SECRET_VALUE,
          Tags: [{ Key: 'team', Value: '@ops' }],
        }),
      )
      .then(() => INJECTION_NAME)
      .catch(async () => {
        await aws().secretsManager.send(
          new CreateSecretCommand({ Name: '=1+2', Description: QUOTED_DESCRIPTION, SecretString: CSV_SECRET_VALUE, Tags: [{ Key: 'team', Value: '@ops' }] }),
        );
        return '=1+2';
      });
    api = await buildApi();
    await api.dashboard.crawler.crawlOnce();
  });
  afterAll(async () => {
    await api.close();
  });

  it('When the list is exported, then it downloads as secrets.csv with a header and every secret', async () => {
    // Act
    const res = await request(api.app)
      .get('/api/v1/dashboard/secrets.csv')
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString('utf8')));
        r.on('end', () => done(null, text));
      });

    // Assert
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="secrets.csv"');
    expect(res.headers['x-index-source']).toBe('index');
    const rows = parseCsv(res.body as string);
    expect(rows[0]).toEqual([
      'Name',
      'ARN',
      'Description',
      'Team',
      'Engine',
      'Status',
      'Rotation enabled',
      'Schedule',
      'Last rotated',
      'Next rotation',
      'Rotation function',
      'Managed by',
      'Account',
      'Region',
    ]);
    // The demo secrets, the RDS-managed one, and the one made here.
    expect(rows).toHaveLength(1 + DEMO_SECRETS.length + 2);
    expect(rows.every((r) => r.length === 14)).toBe(true);
    const orders = rows.find((r) => r[0] === 'prod/payments/orders-db')!;
    expect(orders.slice(3, 8)).toEqual(['payments', 'postgres', 'Healthy', 'Yes', 'every 30 days']);
    expect(orders.slice(12)).toEqual(['123456789012', 'us-east-1']);
  });

  it('When a cell starts like a formula or holds quotes and commas, then it is escaped and quoted', async () => {
    // Act
    const res = await request(api.app)
      .get('/api/v1/dashboard/secrets.csv')
      .query({ team: '@ops' })
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString('utf8')));
        r.on('end', () => done(null, text));
      });

    // Assert
    const text = res.body as string;
    const rows = parseCsv(text);
    expect(rows).toHaveLength(2);
    expect(rows[1]![0]).toBe(`'${injectionName}`);
    expect(rows[1]![2]).toBe(QUOTED_DESCRIPTION);
    expect(rows[1]![3]).toBe("'@ops");
    expect(text).toContain(`"Orders ""primary"", EU; the team said ""never rotate"""`);
    // No line of the file starts a cell with a bare formula character.
    expect(text.split('\r\n').some((line) => /(^|,)[=+\-@]/.test(line))).toBe(false);
  });

  it('When the list is exported, then no secret value is in it', async () => {
    // Act
    const res = await request(api.app)
      .get('/api/v1/dashboard/secrets.csv')
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString('utf8')));
        r.on('end', () => done(null, text));
      });

    // Assert
    const text = res.body as string;
    expect(text).not.toContain(CSV_SECRET_VALUE);
    for (const s of DEMO_SECRETS) expect(text).not.toContain(demoPassword(s.name));
    expect(text).not.toMatch(/"password"|"username"|masterarn/);
  });

  it('When the export is filtered and sorted, then it holds the same rows as the list, in the same order', async () => {
    // Act
    const csv = await request(api.app)
      .get('/api/v1/dashboard/secrets.csv')
      .query({ status: 'not_enabled', sort: 'name', order: 'desc' })
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString('utf8')));
        r.on('end', () => done(null, text));
      });
    const list = await request(api.app).get('/api/v1/dashboard/secrets').query({ status: 'not_enabled', sort: 'name', order: 'desc', limit: 100 }).expect(200);

    // Assert
    const names = parseCsv(csv.body as string)
      .slice(1)
      .map((r) => r[0]!.replace(/^'/, ''));
    expect(names).toEqual(list.body.items.map((i: { name: string }) => i.name));
    expect(names.length).toBe(list.body.total);
  });

  it('When the calendar is asked for two months, then it holds the healthy secrets\u2019 next windows and nothing else', async () => {
    // Arrange
    const last = async (name: string) => (await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: name }))).LastRotatedDate!.toISOString();
    const orders = await last('prod/payments/orders-db');
    const cards = await last('prod/payments/cards-db');

    // Act
    const res = await request(api.app).get('/api/v1/dashboard/calendar').query({ days: 62 }).expect(200);
    const identity = await request(api.app).get('/api/v1/dashboard/calendar').query({ days: 62, team: 'identity' }).expect(200);

    // Assert
    const calendar = Calendar.parse(res.body);
    expect(calendar.truncated).toBe(false);
    expect(calendar.freshness.source).toBe('index');
    expect(calendar.windows.map((w) => [w.name, w.start, w.end])).toEqual([
      ['prod/payments/orders-db', new Date(utcMidnight(orders) + 30 * DAY_MS).toISOString(), new Date(utcMidnight(orders) + 31 * DAY_MS).toISOString()],
      ['prod/payments/cards-db', new Date(utcMidnight(cards) + 60 * DAY_MS).toISOString(), new Date(utcMidnight(cards) + 61 * DAY_MS).toISOString()],
      ['prod/payments/orders-db', new Date(utcMidnight(orders) + 60 * DAY_MS).toISOString(), new Date(utcMidnight(orders) + 61 * DAY_MS).toISOString()],
    ]);
    // sessions-db rotates every 90 days: outside two months; the overdue and failed ones have no windows.
    expect(Calendar.parse(identity.body).windows).toEqual([]);
  });

  it('When the calendar range is invalid, then the answer is 400', async () => {
    // Act
    const res = await request(api.app).get('/api/v1/dashboard/calendar').query({ days: 100, from: 'yesterday' }).expect(400);

    // Assert
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['days', 'from']);
  });
});

describe('Calendar windows (pure)', () => {
  const row = (name: string, rules: { days?: number; expression?: string; duration?: string }, lastRotated: string | null): IndexRow =>
    toIndexRow(
      {
        name,
        arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}`,
        description: null,
        tags: [],
        owningService: null,
        createdDate: null,
        lastChangedDate: null,
        rotationEnabled: true,
        rotationLambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
        rotationRules: { automaticallyAfterDays: rules.days ?? null, scheduleExpression: rules.expression ?? null, duration: rules.duration ?? null },
        lastRotatedDate: lastRotated ? new Date(lastRotated) : null,
        nextRotationDate: null,
        versionStages: { v1: ['AWSCURRENT'] },
      },
      { team: 'team', engine: 'engine' },
      new Date('2026-01-01T00:00:00Z'),
      1,
      null,
    ) as IndexRow;

  it('When a secret rotated long ago, then its windows stay on the days counted from that rotation', () => {
    // Act
    const windows = secretWindows(row('a', { days: 10 }, '2025-06-01T13:00:00Z'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-31T00:00:00Z'), 2000);

    // Assert: 2025-06-01 plus 220, 230 and 240 days.
    expect(windows.map((w) => w.start.toISOString())).toEqual(['2026-01-07T00:00:00.000Z', '2026-01-17T00:00:00.000Z', '2026-01-27T00:00:00.000Z']);
  });

  it('When windows of many secrets exceed the cap, then the earliest 2000 are kept, in order, and truncated says so', () => {
    // Arrange: every four hours for 62 days is 372 windows a secret.
    const rows = Array.from({ length: 8 }, (_, i) => row(`s${i}`, { expression: 'rate(4 hours)', duration: '1h' }, null));
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date(from.getTime() + 62 * DAY_MS);
    const earliest = new EarliestWindows(2000);

    // Act
    for (const r of rows) earliest.add(secretWindows(r, from, to, 2000));
    const { windows, truncated } = earliest.result();

    // Assert
    expect(earliest.total).toBe(8 * 372);
    expect(truncated).toBe(true);
    expect(windows).toHaveLength(2000);
    const starts = windows.map((w) => w.start.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(windows.at(-1)!.start.getTime()).toBeLessThanOrEqual(from.getTime() + 42 * DAY_MS);
  });

  it('When a cell is written, then only formula starts get an apostrophe and only special cells get quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=SUM(A1:A2),"x"')).toBe(`"'=SUM(A1:A2),""x"""`);
  });
});
