import { describe, expect, it } from 'vitest';
import { REDACTED, redactText } from '../../src/platform/redact-text.ts';

describe('redactText', () => {
  it.each([
    ['a JSON password field', '{"step":"setSecret","password":"S3cr3t-Pa55word!"}', 'S3cr3t-Pa55word!'],
    ['a password inside an escaped JSON string', '{"error":"bad value {\\"password\\":\\"hunter2hunter2\\"}"}', 'hunter2hunter2'],
    ['a connection string with credentials', 'connect failed: postgres://app_user:Xy9zQ2pL@db.internal:5432/app', 'Xy9zQ2pL'],
    ['a db_password=value pair', 'retrying with db_password=plainpassword2', 'plainpassword2'],
    ['key=value in a libpq string', 'host=db.internal user=app password=plainpassword dbname=app', 'plainpassword'],
    ['a bearer token', 'Authorization: Bearer abc.def.ghi-1234567890', 'abc.def.ghi-1234567890'],
    ['an AWS access key id', 'using AKIAIOSFODNN7EXAMPLE to call', 'AKIAIOSFODNN7EXAMPLE'],
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIz was refused', 'eyJhbGciOiJIUzI1NiJ9'],
    ['a bare generated password', 'ALTER USER app WITH PASSWORD failed near q8W#z1Lk$2Vn9Rt!x4Bm&7Pd', 'q8W#z1Lk$2Vn9Rt!x4Bm&7Pd'],
    ['a private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', 'MIIEpAIBAAKCAQEA'],
  ])('When a log line holds %s, then it comes back redacted', (_what, line, secret) => {
    const out = redactText(line);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('When a line holds only what people need to read it, then it comes back unchanged', () => {
    const line = JSON.stringify({
      time: '2026-12-07T00:00:00.000Z',
      level: 'error',
      message: 'rotation step failed',
      step: 'setSecret',
      secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/payments/reports-db-AbC1eF',
      versionId: '1c76a44f-2b7e-4c1d-9a55-0d5a3b9e8f11',
      functionName: 'SecretsManagerRDSPostgreSQLRotationSingleUser1',
      outcome: 'failed',
      error: 'getaddrinfo ENOTFOUND reports-db.demo.internal',
    });
    expect(redactText(line)).toBe(line);
    // The bundled function's own progress lines name steps like createSecret: not a "secret: value" pair.
    const progress = JSON.stringify({ message: 'createSecret: put a new AWSPENDING version', step: 'createSecret', username: 'rc_b8d549b0_clone' });
    expect(redactText(progress)).toBe(progress);
    expect(redactText('START RequestId: 0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9 Version: $LATEST')).toBe(
      'START RequestId: 0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9 Version: $LATEST',
    );
  });

  it('When a JSON line is redacted, then it is still JSON', () => {
    const out = redactText(JSON.stringify({ message: 'x', password: 'a"b\\c', token: 'zzz' }));
    expect(JSON.parse(out)).toEqual({ message: 'x', password: REDACTED, token: REDACTED });
  });
});
