import { PREFLIGHT_CHECKS, PREFLIGHT_KINDS } from '@rotation-console/rotation-functions';
import { describe, expect, it } from 'vitest';
import {
  DATABASE_LOGIN_CHECKS,
  databaseLoginEvent,
  databaseLoginWithoutInvocation,
  evaluateDatabaseLogin,
  secretReadDenied,
  type DatabaseLoginInvocation,
  type DatabaseLoginVerdict,
} from '../src/preflight/database-login.ts';
import type { PreflightSubject, RotationFunctionFacts } from '../src/preflight/subject.ts';

const FN_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:rotation-console-postgres';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:app-XyZ123';

const subject = (fn: Partial<RotationFunctionFacts> = {}, strategy: PreflightSubject['strategy'] = 'single-user'): PreflightSubject => ({
  saveAdds: null,
  secret: { arn: SECRET_ARN, name: 'app', accountId: '111122223333', region: 'us-east-1', kmsKeyId: null },
  strategy,
  database: { engine: 'postgres', host: 'db.example', port: 5432, masterSecretArn: null, masterKmsKeyId: null },
  fn: {
    arn: FN_ARN,
    name: 'rotation-console-postgres',
    runtime: 'nodejs24.x',
    timeoutSeconds: 30,
    roleArn: 'arn:aws:iam::111122223333:role/rotation-console-postgres',
    secretsManagerEndpoint: null,
    vpc: null,
    consoles: true,
    codeSha256: null,
    plannedRolePolicy: null,
    ...fn,
  },
});

const answered = (verdicts: DatabaseLoginVerdict[], strategy = 'single-user'): DatabaseLoginInvocation => ({
  kind: 'answered',
  payload: { preflight: 'database-login', strategy, verdicts },
});
const PASSING: DatabaseLoginVerdict[] = [
  { check: 'secret', verdict: 'pass', message: 'AWSCURRENT names postgres at db.example:5432/app as "app"' },
  { check: 'login', verdict: 'pass', message: 'logged in as "app" at db.example:5432/app over TLS' },
  { check: 'privilege', verdict: 'pass', message: 'PostgreSQL lets "app" change its own password (ALTER USER … WITH PASSWORD)' },
];

describe('The preflight contract between the console and its function', () => {
  it('When the console and the bundled function name the checks and the event, then they name the same', () => {
    expect([...DATABASE_LOGIN_CHECKS]).toEqual([...PREFLIGHT_CHECKS]);
    expect(PREFLIGHT_KINDS).toContain(databaseLoginEvent(SECRET_ARN).Preflight);
    expect(databaseLoginEvent(SECRET_ARN)).toEqual({ Preflight: 'database-login', SecretId: SECRET_ARN });
    expect(Object.keys(databaseLoginEvent(SECRET_ARN))).not.toContain('Step');
  });
});

describe('The database-login check without an invocation', () => {
  it('When the function is not the console\'s own, then it is "cannot tell": only the console\'s function answers a preflight event', () => {
    const check = databaseLoginWithoutInvocation(subject({ consoles: false, name: 'SecretsManagerRDSPostgreSQLRotationSingleUser' }))!;
    expect(check).toMatchObject({ id: 'database-login', verdict: 'unknown' });
    expect(check.summary).toContain("Only the console's own function answers a preflight event");
  });

  it('When the wizard has not created the function yet, then it is "cannot tell": it does not exist yet', () => {
    const check = databaseLoginWithoutInvocation(subject({ arn: null }))!;
    expect(check.verdict).toBe('unknown');
    expect(check.summary).toContain('does not exist yet');
  });

  it("When the function is the console's own and exists, then it is asked", () => {
    expect(databaseLoginWithoutInvocation(subject())).toBeNull();
  });
});

describe('The database-login check from the answer', () => {
  it('When every verdict passes, then the check passes with one finding a verdict and no fix', () => {
    const check = evaluateDatabaseLogin(subject(), answered(PASSING));
    expect(check.verdict).toBe('pass');
    expect(check.findings.map((f) => [f.verdict, f.fix])).toEqual([
      ['pass', null],
      ['pass', null],
      ['pass', null],
    ]);
    expect(check.findings[1]!.message).toBe('Login with AWSCURRENT: logged in as "app" at db.example:5432/app over TLS.');
    expect(check.summary).toBe('From its VPC, rotation-console-postgres logged in with AWSCURRENT and holds the privileges Single-user rotation needs.');
    expect(check.method).toContain('preflight event');
  });

  it("When the function's privilege verdict fails with its own SQL, then the finding carries that SQL as the fix", () => {
    const check = evaluateDatabaseLogin(
      subject({}, 'alternating-users'),
      answered(
        [
          ...PASSING.slice(0, 2),
          { check: 'master-secret', verdict: 'pass', message: 'the master secret m names "admin" on the same server' },
          { check: 'master-login', verdict: 'pass', message: 'logged in as the master "admin"' },
          { check: 'privilege', verdict: 'fail', message: 'the master "admin" has neither SUPERUSER nor CREATEROLE', fix: 'ALTER ROLE "admin" CREATEROLE;' },
        ],
        'alternating-users',
      ),
    );
    expect(check.verdict).toBe('fail');
    expect(check.summary).toBe('Privileges: the master "admin" has neither SUPERUSER nor CREATEROLE.');
    expect(check.findings.at(-1)!.fix).toBe('ALTER ROLE "admin" CREATEROLE;');
  });

  it('When the login fails on the network, then the fix points at the path to the database', () => {
    const check = evaluateDatabaseLogin(
      subject(),
      answered([
        PASSING[0]!,
        {
          check: 'login',
          verdict: 'fail',
          category: 'network',
          message: 'Network error: could not log in to PostgreSQL at db.example:5432/app as "app" (ETIMEDOUT)',
        },
        { check: 'privilege', verdict: 'unknown', message: 'not checked: could not log in as "app"' },
      ]),
    );
    expect(check.verdict).toBe('fail');
    expect(check.findings[1]!.fix).toContain('Network to the database');
  });

  it('When the function may not read a secret that names another rotation function, then it is "cannot tell" until rotation is turned on', () => {
    const invocation = answered([{ check: 'secret', verdict: 'fail', category: 'permissions', message: 'Permissions error: GetSecretValue failed' }]);
    expect(secretReadDenied(invocation)).toBe(true);
    const check = evaluateDatabaseLogin(subject(), invocation, { rotationFunctionArn: null });
    expect(check.verdict).toBe('unknown');
    expect(check.findings[0]!.message).toContain('AllowRotationLambdaArn');
    expect(check.findings[0]!.message).toContain('has no rotation function yet');
  });

  it('When the function may not read a secret it already rotates, then it fails with the grant to add', () => {
    const invocation = answered([{ check: 'secret', verdict: 'fail', category: 'permissions', message: 'Permissions error: GetSecretValue failed' }]);
    const check = evaluateDatabaseLogin(subject(), invocation, { rotationFunctionArn: FN_ARN });
    expect(check.verdict).toBe('fail');
    expect(check.findings[0]!.fix).toContain('secretsmanager:GetSecretValue');
  });

  it("When the function's strategy differs from the rotation's, then a warning says which privileges it checked", () => {
    const check = evaluateDatabaseLogin(subject(), answered(PASSING, 'alternating-users'));
    expect(check.verdict).toBe('warning');
    expect(check.findings.at(-1)!.message).toContain('set up for alternating-users');
  });

  it('When the payload is not an answer, then it is "cannot tell"', () => {
    expect(evaluateDatabaseLogin(subject(), { kind: 'answered', payload: null }).verdict).toBe('unknown');
    expect(evaluateDatabaseLogin(subject(), { kind: 'answered', payload: { preflight: 'database-login', verdicts: [{ check: 'x' }] } }).verdict).toBe(
      'unknown',
    );
  });
});

describe('The database-login check from a failed invocation', () => {
  it("When Lambda's timeout ends the function, then it fails as the classic sign of a missing network path", () => {
    const check = evaluateDatabaseLogin(subject(), {
      kind: 'function-error',
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 30.00 seconds',
    });
    expect(check.verdict).toBe('fail');
    expect(check.summary).toContain('timed out after 30 s');
    expect(check.findings[0]!.fix).toContain('Network to Secrets Manager');
  });

  it('When the function runs code from before the preflight event, then it is "cannot tell" with the update to make', () => {
    const check = evaluateDatabaseLogin(subject(), {
      kind: 'function-error',
      errorType: 'RotationError',
      errorMessage: 'Configuration error: invalid rotation event: Step must be one of createSecret, setSecret, testSecret, finishSecret',
    });
    expect(check).toMatchObject({ verdict: 'unknown', findings: [{ fix: 'Update it from the Functions page.' }] });
  });

  it('When the function throws for another reason, then it fails naming the error', () => {
    const check = evaluateDatabaseLogin(subject(), { kind: 'function-error', errorType: 'Runtime.ImportModuleError', errorMessage: 'index.mjs not found' });
    expect(check.verdict).toBe('fail');
    expect(check.summary).toContain('Runtime.ImportModuleError: index.mjs not found');
  });

  it('When Lambda refuses the Invoke call itself, then it is "cannot tell" naming the refusal', () => {
    const check = evaluateDatabaseLogin(subject(), { kind: 'invoke-failed', message: 'AWS refused Invoke: AccessDeniedException' });
    expect(check.verdict).toBe('unknown');
    expect(check.summary).toContain('AccessDeniedException');
  });
});
