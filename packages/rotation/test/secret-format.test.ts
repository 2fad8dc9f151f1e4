import { describe, expect, it } from 'vitest';
import { checkSecretFormat, compareWithMaster } from '../src/secret-format.ts';

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

describe('compareWithMaster', () => {
  const parsed = (fields: Record<string, unknown>) => checkSecretFormat('x', value(fields), { strategy: 'single-user', role: 'master' }).parsed!;

  it('When the master secret is for another engine, then the problem says so', () => {
    expect(compareWithMaster(parsed(good), parsed({ ...good, engine: 'mysql', port: 5432 }))[0]).toMatch(/engine "mysql"/);
  });

  it('When the master secret is on the same database, then there is no problem', () => {
    expect(compareWithMaster(parsed(good), parsed({ ...good, username: 'admin' }))).toEqual([]);
  });
});
