import { LAMBDA_RUNTIME } from '@rotation-console/rotation-functions';
import { describe, expect, it } from 'vitest';
import { evaluateFunction, isRdsProxyHost, needsRdsProxyLookup, type RdsProxyLookup } from '../src/preflight/function.ts';
import { LAMBDA_RUNTIMES, runtimeLifecycle, runtimeStanding } from '../src/preflight/runtimes.ts';
import type { PreflightSubject, RotationFunctionFacts } from '../src/preflight/subject.ts';

const FN_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:SecretsManagerRDSPostgreSQLRotationSingleUser';
const MASTER = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-master-AbCdEf';
const TODAY = new Date('2026-12-07T09:00:00Z');

const subject = (
  over: {
    fn?: Partial<RotationFunctionFacts>;
    strategy?: PreflightSubject['strategy'];
    database?: Partial<NonNullable<PreflightSubject['database']>> | null;
  } = {},
): PreflightSubject => ({
  saveAdds: null,
  secret: {
    arn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-XyZ123',
    name: 'app',
    accountId: '111122223333',
    region: 'eu-west-1',
    kmsKeyId: null,
  },
  strategy: over.strategy ?? 'single-user',
  database:
    over.database === null
      ? null
      : { engine: 'postgres', host: 'app.c9akciq32.eu-west-1.rds.amazonaws.com', port: 5432, masterSecretArn: null, masterKmsKeyId: null, ...over.database },
  fn: {
    arn: FN_ARN,
    name: 'SecretsManagerRDSPostgreSQLRotationSingleUser',
    runtime: 'python3.13',
    timeoutSeconds: 30,
    roleArn: 'arn:aws:iam::111122223333:role/rotation',
    secretsManagerEndpoint: null,
    vpc: null,
    consoles: false,
    codeSha256: null,
    plannedRolePolicy: null,
    ...over.fn,
  },
});

const findingOf = (check: ReturnType<typeof evaluateFunction>, text: string) => check.findings.find((f) => f.message.includes(text));

describe('The runtime table', () => {
  it('When the table lists a runtime, then its dates run deprecation, block create, block update, and its successor is in the table', () => {
    for (const r of LAMBDA_RUNTIMES) {
      expect(r.deprecation <= r.blockCreate, r.runtime).toBe(true);
      expect(r.blockCreate <= r.blockUpdate, r.runtime).toBe(true);
      expect(runtimeLifecycle(r.successor), r.runtime).toBeDefined();
    }
  });

  it("When the issue's python3.10 is read on 2026-12-07, then it is past its deprecation (31 October 2026) with create and update still allowed", () => {
    expect(runtimeStanding('python3.10', TODAY)).toMatchObject({
      kind: 'deprecated',
      createBlocked: false,
      updateBlocked: false,
      lifecycle: { deprecation: '2026-10-31', blockCreate: '2027-02-01', blockUpdate: '2027-03-03' },
    });
  });

  it("When the console's bundled function is checked, then its runtime is in the table", () => {
    expect(runtimeLifecycle(LAMBDA_RUNTIME)).toBeDefined();
  });
});

describe('The function check: runtime', () => {
  it('When the runtime is past its deprecation, then the check fails naming the three dates and the CLI that moves it', () => {
    const check = evaluateFunction(subject({ fn: { runtime: 'python3.10' } }), { now: TODAY });
    const f = findingOf(check, 'python3.10')!;
    expect(check.verdict).toBe('fail');
    expect(f.verdict).toBe('fail');
    expect(f.message).toContain('deprecated on 2026-10-31');
    expect(f.message).toContain('refuses new functions on it from 2027-02-01');
    expect(f.message).toContain('refuses updates to them from 2027-03-03');
    expect(f.fix).toBe(`aws lambda update-function-configuration --function-name ${FN_ARN} --runtime python3.14 --region eu-west-1`);
    expect(check.summary).toBe(f.message);
    expect(check.evidence).toContain(
      'Runtime: python3.10; deprecation 2026-10-31, block function create 2027-02-01, block function update 2027-03-03 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html)',
    );
  });

  it('When the blocks have passed too, then the message says Lambda has refused since those dates', () => {
    const f = findingOf(evaluateFunction(subject({ fn: { runtime: 'python3.7' } }), { now: new Date('2027-04-01T00:00:00Z') }), 'python3.7')!;
    expect(f.message).toContain('has refused new functions on it since 2024-01-09');
    expect(f.message).toContain('has refused updates to them since 2027-03-03');
  });

  it('When the deprecation is within 180 days, then the check warns with the days left', () => {
    const check = evaluateFunction(subject({ fn: { runtime: 'nodejs22.x' } }), { now: TODAY });
    const f = findingOf(check, 'nodejs22.x')!;
    expect(check.verdict).toBe('warning');
    expect(f.verdict).toBe('warning');
    expect(f.message).toContain('deprecated on 2027-04-30, in 144 days');
    expect(f.fix).toContain('--runtime nodejs24.x');
  });

  it('When the deprecation is further than 180 days, then the runtime passes', () => {
    const check = evaluateFunction(subject({ fn: { runtime: 'python3.11' } }), { now: TODAY });
    expect(check.verdict).toBe('pass');
    expect(findingOf(check, 'python3.11')).toMatchObject({ verdict: 'pass', message: 'python3.11 is supported until 2027-06-30.' });
  });

  it('When the runtime is not in the table, then its verdict is "cannot tell", never fine', () => {
    const check = evaluateFunction(subject({ fn: { runtime: 'ruby3.4' } }), { now: TODAY });
    expect(findingOf(check, 'ruby3.4')!.verdict).toBe('unknown');
    expect(check.verdict).toBe('unknown');
  });

  it('When the function is a container image (no runtime), then its verdict is "cannot tell"', () => {
    const f = findingOf(evaluateFunction(subject({ fn: { runtime: null } }), { now: TODAY }), 'container image')!;
    expect(f.verdict).toBe('unknown');
  });

  it("When the console's own function runs a deprecated runtime, then the fix sends to the Functions page instead of a CLI that would drift its stack", () => {
    const f = findingOf(evaluateFunction(subject({ fn: { runtime: 'nodejs20.x', consoles: true } }), { now: TODAY }), 'nodejs20.x')!;
    expect(f).toMatchObject({ verdict: 'fail', fix: 'Update it from the Functions page.' });
  });

  it('When the wizard plans a function on a deprecated runtime, then the plan fails the check and the fix names the function to create', () => {
    const f = findingOf(evaluateFunction(subject({ fn: { arn: null, name: 'planned-fn', runtime: 'python3.10' } }), { now: TODAY }), 'python3.10')!;
    expect(f.message).toMatch(/^The plan creates planned-fn on python3.10/);
    expect(f.fix).toBe('aws lambda update-function-configuration --function-name planned-fn --runtime python3.14 --region eu-west-1');
  });
});

describe('The function check: timeout', () => {
  it.each([
    [3, 'fail'],
    [9, 'fail'],
    [10, 'warning'],
    [29, 'warning'],
    [30, 'pass'],
    [900, 'pass'],
  ] as const)('When the timeout is %i s, then it is %s', (seconds, verdict) => {
    const f = findingOf(evaluateFunction(subject({ fn: { timeoutSeconds: seconds } }), { now: TODAY }), `${seconds} s`)!;
    expect(f.verdict).toBe(verdict);
    if (verdict !== 'pass') expect(f.fix).toBe(`aws lambda update-function-configuration --function-name ${FN_ARN} --timeout 30 --region eu-west-1`);
  });
});

describe('The function check: strategy against the secret', () => {
  it('When Multi-user rotation meets a secret without masterarn, then it fails: createSecret would refuse the secret', () => {
    const check = evaluateFunction(subject({ strategy: 'alternating-users' }), { now: TODAY, proxy: { kind: 'none', proxiesRead: 0 } });
    expect(findingOf(check, 'no masterarn')).toMatchObject({ verdict: 'fail' });
    expect(check.verdict).toBe('fail');
  });

  it('When Single-user rotation meets a secret with masterarn, then it warns that the master is never used', () => {
    const check = evaluateFunction(subject({ database: { masterSecretArn: MASTER } }), { now: TODAY });
    expect(findingOf(check, `masterarn ${MASTER}`)).toMatchObject({ verdict: 'warning' });
    expect(check.verdict).toBe('warning');
  });

  it('When the strategies fit, then both ways pass', () => {
    expect(evaluateFunction(subject(), { now: TODAY }).verdict).toBe('pass');
    const alternating = evaluateFunction(subject({ strategy: 'alternating-users', database: { masterSecretArn: MASTER } }), {
      now: TODAY,
      proxy: { kind: 'none', proxiesRead: 2 },
    });
    expect(alternating.verdict).toBe('pass');
    expect(alternating.evidence).toContain(`Strategy: alternating-users; masterarn: ${MASTER}`);
  });

  it('When the secret\'s value names no database, then the strategy fit is "cannot tell"', () => {
    const check = evaluateFunction(subject({ database: null }), { now: TODAY });
    expect(findingOf(check, 'names no database')).toMatchObject({ verdict: 'unknown' });
  });
});

describe('The function check: RDS Proxy with alternating users', () => {
  const alternating = (host: string) => subject({ strategy: 'alternating-users', database: { host, masterSecretArn: MASTER } });

  it.each([
    'app-proxy.proxy-c9akciq32abc.eu-west-1.rds.amazonaws.com',
    'reader.endpoint.proxy-c9akciq32abc.eu-west-1.rds.amazonaws.com',
    'app-proxy.proxy-c9akciq32abc.cn-north-1.rds.amazonaws.com.cn',
  ])('When the host is an RDS Proxy endpoint by its name (%s), then Multi-user rotation fails without asking RDS', (host) => {
    expect(isRdsProxyHost(host)).toBe(true);
    expect(needsRdsProxyLookup(alternating(host))).toBe(false);
    const check = evaluateFunction(alternating(host), { now: TODAY });
    expect(check.verdict).toBe('fail');
    expect(findingOf(check, 'is an RDS Proxy endpoint')!.fix).toContain("database's own endpoint");
  });

  it('When DescribeDBProxies finds a proxy with that endpoint, then Multi-user rotation fails naming the proxy', () => {
    const host = 'db.internal.example.com';
    expect(needsRdsProxyLookup(alternating(host))).toBe(true);
    const proxy: RdsProxyLookup = { kind: 'found', proxyName: 'app-proxy', endpoint: host };
    const check = evaluateFunction(alternating(host), { now: TODAY, proxy });
    expect(findingOf(check, 'the RDS Proxy app-proxy')).toMatchObject({ verdict: 'fail' });
  });

  it('When DescribeDBProxies fails, then whether the host is a proxy is "cannot tell"', () => {
    const check = evaluateFunction(alternating('db.internal.example.com'), { now: TODAY, proxy: { kind: 'failed', reason: 'AccessDenied' } });
    expect(findingOf(check, 'DescribeDBProxies failed (AccessDenied)')).toMatchObject({ verdict: 'unknown' });
  });

  it('When Single-user rotation goes through a proxy, then no proxy finding is made (it is supported)', () => {
    const host = 'app-proxy.proxy-c9akciq32abc.eu-west-1.rds.amazonaws.com';
    const single = subject({ database: { host } });
    expect(needsRdsProxyLookup(single)).toBe(false);
    const check = evaluateFunction(single, { now: TODAY });
    expect(check.verdict).toBe('pass');
    expect(check.findings.some((f) => f.message.includes('Proxy'))).toBe(false);
  });
});
