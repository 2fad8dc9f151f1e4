import { createServer, type Server, type Socket } from 'node:net';
import { CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateDBProxyCommand } from '@aws-sdk/client-rds';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { createMariadbLogin, dropMariadbLogins, mariadbUserExists } from '@rotation-console/harness/mariadb-logins.ts';
import { createPostgresLogin, dropPostgresLogins, postgresRoleExists } from '@rotation-console/harness/postgres-logins.ts';
import type { PreflightSubject, RotationFunctionFacts } from '@rotation-console/rotation';
import { buildRotationFunctionZip } from '@rotation-console/rotation-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseLoginCheck } from '../../src/modules/preflight/database-login.check.aws.ts';
import { createFunctionCheck } from '../../src/modules/preflight/function.check.aws.ts';
import { createAwsClientFactory } from '../../src/platform/aws.ts';
import { storedZip } from '../support/rotation-fixtures.ts';
import { aws, motoEndpoint, reset } from '../support/support.ts';

/**
 * The function and database-login preflight checks against moto, whose Lambda Invoke runs the
 * console's bundled function under Node.js (packages/harness/moto_launcher.py), talking to the
 * machine's real PostgreSQL and MariaDB. The local PostgreSQL trusts every connection, so its
 * logins pass whatever the password: these tests are about the privileges read after the login
 * (packages/rotation-functions tests a refused password on a PostgreSQL with passwords on).
 */
const factory = createAwsClientFactory({ region: 'us-east-1', endpoint: motoEndpoint(), timeoutMs: 30_000, maxAttempts: 1 });
const databaseLogin = createDatabaseLoginCheck({ aws: factory });
const functionCheck = createFunctionCheck({ aws: factory, now: () => new Date('2026-12-07T09:00:00Z') });
const pgUsers: string[] = [];
const mariadbUsers: string[] = [];
let roleArn = '';
const functions: Partial<Record<string, string>> = {};

const deploy = async (name: string, env: Record<string, string>, timeout = 30, zip?: Uint8Array) => {
  const bundle = zip ? null : await buildRotationFunctionZip();
  const out = await aws().lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: bundle?.runtime ?? 'nodejs24.x',
      Handler: bundle?.handler ?? 'index.handler',
      Role: roleArn,
      Timeout: timeout,
      Code: { ZipFile: zip ?? bundle!.zip },
      Environment: { Variables: env },
    }),
  );
  return out.FunctionArn!;
};

const secretOf = async (name: string, secretString: string) =>
  (await aws().secretsManager.send(new CreateSecretCommand({ Name: `${name}-${Date.now()}`, SecretString: secretString }))).ARN!;

const subjectOf = (
  secretArn: string,
  strategy: PreflightSubject['strategy'],
  fn: Partial<RotationFunctionFacts>,
  database: Partial<NonNullable<PreflightSubject['database']>> = {},
): PreflightSubject => ({
  saveAdds: null,
  secret: { arn: secretArn, name: secretArn.split(':').at(-1)!, accountId: '123456789012', region: 'us-east-1', kmsKeyId: null },
  strategy,
  database: { engine: 'postgres', host: '127.0.0.1', port: 5432, masterSecretArn: null, masterKmsKeyId: null, ...database },
  fn: {
    arn: null,
    name: 'fn',
    runtime: 'nodejs24.x',
    timeoutSeconds: 30,
    roleArn,
    secretsManagerEndpoint: null,
    vpc: null,
    consoles: true,
    codeSha256: null,
    plannedRolePolicy: null,
    ...fn,
  },
});

const consoleFunction = (strategy: PreflightSubject['strategy']) => ({ arn: functions[strategy]!, name: `preflight-${strategy}` });

beforeAll(async () => {
  await reset();
  const role = await aws().iam.send(
    new CreateRoleCommand({
      RoleName: 'preflight-rotation',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  roleArn = role.Role!.Arn!;
  functions['single-user'] = await deploy('preflight-single-user', { ROTATION_STRATEGY: 'single-user' });
  functions['alternating-users'] = await deploy('preflight-alternating-users', { ROTATION_STRATEGY: 'alternating-users' });
});

afterAll(async () => {
  factory.destroy();
  await dropPostgresLogins(pgUsers);
  await dropMariadbLogins(mariadbUsers);
});

const ENGINES = {
  PostgreSQL: {
    create: async (master = false) => {
      const login = await createPostgresLogin({ master });
      pgUsers.push(login.username);
      return login;
    },
    exists: postgresRoleExists,
    database: { engine: 'postgres', port: 5432 },
    masterFix: /^ALTER ROLE "rc_\w+" CREATEROLE;$/,
  },
  MariaDB: {
    create: async (master = false) => {
      const login = await createMariadbLogin({ master });
      mariadbUsers.push(login.username);
      return login;
    },
    exists: mariadbUserExists,
    database: { engine: 'mariadb', port: 3306 },
    masterFix: /^GRANT CREATE USER ON \*\.\* TO 'rc\w+'@'%' WITH GRANT OPTION;/,
  },
} as const;

describe.each(Object.entries(ENGINES))('The database-login check through the console function on %s', (_label, engine) => {
  it('When a single user logs in from the function, then the check passes: the user may change its own password', async () => {
    // Arrange
    const user = await engine.create();
    const secretArn = await secretOf('pf-single', user.secretString());

    // Act
    const check = await databaseLogin.run(subjectOf(secretArn, 'single-user', consoleFunction('single-user'), engine.database));

    // Assert
    expect(check.findings.map((f) => f.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(check).toMatchObject({ id: 'database-login', verdict: 'pass' });
    expect(check.findings[1]!.message).toContain(`logged in as "${user.username}" at 127.0.0.1:${engine.database.port}`);
    expect(check.findings[2]!.message).toContain('change its own password');
    expect(JSON.stringify(check)).not.toContain(user.password);
  });

  it('When the master may not create users, then the privilege fails with the statement that grants it, and nothing was created', async () => {
    // Arrange
    const user = await engine.create();
    const master = await engine.create(false);
    const masterArn = await secretOf('pf-master', master.secretString());
    const secretArn = await secretOf('pf-multi', user.secretString({ masterarn: masterArn }));

    // Act
    const check = await databaseLogin.run(
      subjectOf(secretArn, 'alternating-users', consoleFunction('alternating-users'), { ...engine.database, masterSecretArn: masterArn }),
    );

    // Assert
    expect(check.findings.map((f) => f.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'fail']);
    expect(check.verdict).toBe('fail');
    expect(check.summary).toContain(master.username);
    expect(check.findings[4]!.fix).toMatch(engine.masterFix);
    expect(await engine.exists(`${user.username}_clone`)).toBe(false);
    expect(JSON.stringify(check)).not.toContain(master.password);
  });

  it('When the master may create users and grant, then every verdict passes and nothing was created', async () => {
    // Arrange
    const user = await engine.create();
    const master = await engine.create(true);
    const masterArn = await secretOf('pf-master', master.secretString());
    const secretArn = await secretOf('pf-multi', user.secretString({ masterarn: masterArn }));

    // Act
    const check = await databaseLogin.run(
      subjectOf(secretArn, 'alternating-users', consoleFunction('alternating-users'), { ...engine.database, masterSecretArn: masterArn }),
    );

    // Assert
    expect(check.findings.map((f) => f.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(check.summary).toBe('From its VPC, preflight-alternating-users logged in with AWSCURRENT and holds the privileges Multi-user rotation needs.');
    expect(check.findings[4]!.message).toContain(`${user.username}_clone`);
    expect(await engine.exists(`${user.username}_clone`)).toBe(false);
  });
});

describe('The database-login check when the function does not answer', () => {
  let blackhole: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // A database port that accepts connections and never answers: the login waits (5 s) past the function's 3 s.
    blackhole = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    for (let port = 5750; port < 5800; port++) {
      const listening = await new Promise<boolean>((resolve) => {
        blackhole.once('error', () => resolve(false));
        blackhole.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (listening) break;
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
  });

  it("When Lambda's timeout ends the function, then the check fails naming the timeout as the sign of a missing network path", async () => {
    // Arrange
    const port = (blackhole.address() as { port: number }).port;
    const fnArn = await deploy('preflight-short-timeout', { ROTATION_STRATEGY: 'single-user' }, 3);
    const secretArn = await secretOf(
      'pf-timeout',
      JSON.stringify({ engine: 'postgres', host: '127.0.0.1', port, username: 'app', password: 'pw-x', ssl: false }),
    );

    // Act
    const check = await databaseLogin.run(subjectOf(secretArn, 'single-user', { arn: fnArn, name: 'preflight-short-timeout', timeoutSeconds: 3 }, { port }));

    // Assert
    expect(check.verdict).toBe('fail');
    expect(check.summary).toContain('preflight-short-timeout timed out after 3 s answering the preflight');
    expect(check.findings[0]!.fix).toContain('Network to Secrets Manager');
    expect(check.evidence).toContain('Function error: Sandbox.Timedout: Task timed out after 3.00 seconds');
  });

  it('When the function runs code from before the preflight event, then the check cannot tell and says to update it', async () => {
    // Arrange: an older bundled function refuses any event without a Step, as this stand-in does.
    const fnArn = await deploy(
      'preflight-old-code',
      {},
      30,
      storedZip(
        'index.mjs',
        `export const handler = async (event) => {
          if (!event.Step) throw Object.assign(new Error('Configuration error: invalid rotation event: Step must be one of createSecret, setSecret, testSecret, finishSecret'), { name: 'RotationError' });
        };`,
      ),
    );
    const secretArn = await secretOf('pf-old', '{"engine":"postgres","host":"127.0.0.1","username":"app","password":"pw-x"}');

    // Act
    const check = await databaseLogin.run(subjectOf(secretArn, 'single-user', { arn: fnArn, name: 'preflight-old-code' }));

    // Assert
    expect(check).toMatchObject({ verdict: 'unknown', findings: [{ fix: 'Update it from the Functions page.' }] });
  });

  it("When the function is not the console's own, then it is not invoked and the check cannot tell", async () => {
    const check = await databaseLogin.run(
      subjectOf('arn:aws:secretsmanager:us-east-1:123456789012:secret:x', 'single-user', {
        arn: 'arn:aws:lambda:us-east-1:123456789012:function:nope',
        consoles: false,
      }),
    );
    expect(check.verdict).toBe('unknown');
    expect(check.summary).toContain("Only the console's own function answers a preflight event");
  });
});

describe('The function check with RDS Proxy', () => {
  let proxyHost = '';
  beforeAll(async () => {
    const vpc = await aws().ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }));
    const subnets = await Promise.all(
      ['10.40.1.0/24', '10.40.2.0/24'].map((cidr, i) =>
        aws().ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: cidr, AvailabilityZone: `us-east-1${'ab'[i]}` })),
      ),
    );
    const secretArn = await secretOf('pf-proxy-auth', '{"username":"app","password":"pw-x"}');
    const proxy = await aws().rds.send(
      new CreateDBProxyCommand({
        DBProxyName: 'app-proxy',
        EngineFamily: 'POSTGRESQL',
        Auth: [{ AuthScheme: 'SECRETS', SecretArn: secretArn, IAMAuth: 'DISABLED' }],
        RoleArn: roleArn,
        VpcSubnetIds: subnets.map((s) => s.Subnet!.SubnetId!),
      }),
    );
    proxyHost = proxy.DBProxy!.Endpoint!;
  });

  const alternating = (host: string) =>
    subjectOf('arn:aws:secretsmanager:us-east-1:123456789012:secret:app', 'alternating-users', consoleFunction('alternating-users'), {
      host,
      masterSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:master',
    });

  it('When DescribeDBProxies finds the host as a proxy endpoint, then Multi-user rotation fails naming the proxy (moto names endpoints *.db-proxy-*, so the name alone does not tell)', async () => {
    const check = await functionCheck.run(alternating(proxyHost));
    expect(check.verdict).toBe('fail');
    expect(check.summary).toBe(
      `${proxyHost} is the endpoint of the RDS Proxy app-proxy. Multi-user rotation through an RDS Proxy is not supported: the master creates and changes users, which it must do on the database itself.`,
    );
    expect(check.evidence).toContain(`Database host: ${proxyHost} (RDS Proxy app-proxy, DescribeDBProxies)`);
  });

  it('When no proxy has the host as endpoint, then the function check passes', async () => {
    const check = await functionCheck.run(alternating('app.cluster-c9akciq32.us-east-1.rds.amazonaws.com'));
    expect(check.findings.map((f) => f.verdict)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(check.evidence).toContain(
      'Database host: app.cluster-c9akciq32.us-east-1.rds.amazonaws.com (none of 1 RDS Proxies in the region has it as endpoint)',
    );
  });
});
