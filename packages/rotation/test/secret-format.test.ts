import { describe, expect, it } from 'vitest';
import { checkSecretFormat, compareWithMaster, namesSameDatabase } from '../src/secret-format.ts';

const value = (fields: Record<string, unknown>) => JSON.stringify(fields);
const good = { engine: 'postgres', host: 'db.example.internal', username: 'app', password: 'p4ss-w0rd-never-shown', dbname: 'app', port: 5432 };

describe('checkSecretFormat', () => {
  it('When every field is right, then the check passes and names fields without values', () => {
    const { check } = checkSecretFormat('prod/db', value(good), { strategy: 'single-user', role: 'secret' });
    expect(check.ok).toBe(true);
    expect(check.fields.map((f) => f.field)).toEqual(['engine', 'host', 'username', 'password', 'dbname', 'port']);
    expect(JSON.stringify(check)).not.toContain('p4ss-w0rd-never-shown');
  });

  it('When the value is not JSON, then the check fails and says so', () => {
    const { check } = checkSecretFormat('legacy', 'host=x;password=y', { strategy: 'single-user', role: 'secret' });
    expect(check).toMatchObject({ ok: false, problems: [expect.stringMatching(/not valid JSON/)] });
    expect(JSON.stringify(check)).not.toContain('password=y');
  });

  it.each([
    [{ ...good, engine: undefined }, 'engine', 'missing'],
    [{ ...good, engine: 'oracle' }, 'engine', 'invalid'],
    [{ ...good, port: 'abc' }, 'port', 'invalid'],
    [{ ...good, host: 42 }, 'host', 'invalid'],
  ])('When a field is wrong (%o), then %s is %s', (fields, field, verdict) => {
    const { check } = checkSecretFormat('prod/db', value(fields), { strategy: 'single-user', role: 'secret' });
    expect(check.ok).toBe(false);
    expect(check.fields.find((f) => f.field === field)?.verdict).toBe(verdict);
  });

  it('When multi-user rotation has no masterarn, then masterarn is missing', () => {
    const { check } = checkSecretFormat('prod/db', value(good), { strategy: 'alternating-users', role: 'secret' });
    expect(check.fields.find((f) => f.field === 'masterarn')).toMatchObject({ verdict: 'missing' });
  });
});

describe('The fix for a secret the function cannot use', () => {
  const masterArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/master-AbCdEf';

  it('When fields are wrong, then the fix names them and stores every field with placeholders, never a value', () => {
    const { check } = checkSecretFormat("prod/team's db", value({ ...good, password: undefined, port: 'abc' }), { strategy: 'single-user', role: 'secret' });

    expect(check.fix?.fields).toEqual(['password', 'port']);
    expect(check.fix?.cli).toBe(
      `aws secretsmanager put-secret-value --secret-id 'prod/team'\\''s db' --secret-string '{"engine":"<engine>","host":"<host>","username":"<username>","password":"<password>","dbname":"<dbname>","port":"<port>"}'`,
    );
    for (const real of ['db.example.internal', 'app', 'postgres']) expect(check.fix?.cli).not.toContain(`"${real}"`);
  });

  it('When every field is right, then there is no fix', () => {
    expect(checkSecretFormat('prod/db', value(good), { strategy: 'single-user', role: 'secret' }).check.fix).toBeNull();
  });

  it('When the value is not JSON, then the fix stores a whole JSON value', () => {
    const { check } = checkSecretFormat('legacy', 'host=x;password=y', { strategy: 'single-user', role: 'secret' });
    expect(check.fix).toMatchObject({ fields: [], cli: expect.stringContaining(`--secret-id legacy --secret-string '{"engine":"<engine>"`) });
    expect(check.fix?.cli).not.toContain('password=y');
  });

  it('When masterarn names another secret than the chosen master, then masterarn is invalid and the fix names the chosen master', () => {
    const other = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/other-XyZ123';
    const { check } = checkSecretFormat('prod/app', value({ ...good, masterarn: other }), {
      strategy: 'alternating-users',
      role: 'secret',
      masterSecretArn: masterArn,
    });

    expect(check.ok).toBe(false);
    expect(check.fields.find((f) => f.field === 'masterarn')).toMatchObject({
      verdict: 'invalid',
      message: expect.stringMatching(/another secret than the chosen master/),
    });
    expect(check.fix?.fields).toEqual(['masterarn']);
    expect(check.fix?.cli).toContain(`"masterarn":"${masterArn}"`);
  });

  it('When the master secret itself is wrong, then its fix has no masterarn', () => {
    const { check } = checkSecretFormat('prod/master', value({ ...good, host: undefined }), { strategy: 'alternating-users', role: 'master' });
    expect(check.fix?.fields).toEqual(['host']);
    expect(check.fix?.cli).not.toContain('masterarn');
  });
});

describe('namesSameDatabase', () => {
  const parsed = (fields: Record<string, unknown>) => checkSecretFormat('x', value(fields), { strategy: 'single-user', role: 'master' }).parsed!;

  it.each([
    ['the same engine, host and port', { ...good, username: 'admin' }, true],
    ['the default port left out', { ...good, port: undefined }, true],
    ['another host', { ...good, host: 'other.example.internal' }, false],
    ['another engine', { ...good, engine: 'aurora-postgresql' }, false],
    ['another port', { ...good, port: 6432 }, false],
    ['no host', { ...good, host: undefined }, false],
  ])('When a candidate names %s, then it is %s', (_what, candidate, same) => {
    expect(namesSameDatabase(parsed(good), parsed(candidate))).toBe(same);
  });
});

describe('compareWithMaster', () => {
  const parsed = (fields: Record<string, unknown>) => checkSecretFormat('x', value(fields), { strategy: 'single-user', role: 'master' }).parsed!;

  it('When the master secret is for another engine, then the problem says so', () => {
    expect(compareWithMaster(parsed(good), parsed({ ...good, engine: 'mysql', port: 5432 }))[0]).toMatch(/engine "mysql"/);
  });

  it('When the master secret is on the same database, then there is no problem', () => {
    expect(compareWithMaster(parsed(good), parsed({ ...good, username: 'admin' }))).toEqual([]);
  });
});
