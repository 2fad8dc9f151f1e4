import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateDBInstanceCommand, CreateDBSubnetGroupCommand, DescribeDBInstancesCommand, DescribeDBSubnetGroupsCommand } from '@aws-sdk/client-rds';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { createHash, randomUUID } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import type { HarnessClients } from './aws.ts';
import { MOTO_ROTATION_DATES_PATH } from './moto.ts';

/**
 * The demo account: database secrets in the RDS SecretString format across PostgreSQL,
 * MySQL and MariaDB, tagged to three teams, in every rotation state the console shows,
 * plus two rotation functions and a VPC with private subnets. Idempotent: what exists
 * is left alone, so a second start duplicates nothing. Most secrets name hosts that do not
 * exist (an honest failure when rotated); those with `localUser` name the machine's own
 * MariaDB or PostgreSQL, whose users demo-databases.ts creates, so they rotate for real.
 */

export const DEMO_TEAMS = ['payments', 'identity', 'analytics'] as const;
export const DEMO_VPC_NAME = 'rotation-demo';
export const DEMO_FUNCTIONS = ['SecretsManager-postgres-single-user', 'SecretsManager-mysql-multi-user'] as const;
/** The team tag of each demo function, if it has one. */
const DEMO_FUNCTION_TEAMS: Partial<Record<(typeof DEMO_FUNCTIONS)[number], string>> = { 'SecretsManager-mysql-multi-user': 'payments' };

type Engine = 'postgres' | 'mysql' | 'mariadb';
type State = 'not_enabled' | 'healthy' | 'overdue' | 'failed' | 'bad_json';

export interface DemoSecret {
  name: string;
  description: string;
  team: (typeof DEMO_TEAMS)[number];
  engine: Engine;
  /** The RDS instance whose endpoint is the secret's host, when one is seeded. */
  dbInstance?: string;
  state: State;
  /** Name of the master secret, for alternating-users secrets. */
  master?: string;
  rotationDays?: number;
  /**
   * The login on the machine's own database (127.0.0.1) that start.ts creates through
   * demo-databases.ts: the secret names it, so its rotation really runs. The middle of the
   * user's name (demoDbUsername): at most three characters for an alternating-users secret.
   */
  localUser?: string;
}

export const DEMO_SECRETS: DemoSecret[] = [
  {
    name: 'prod/payments/orders-db',
    description: 'Orders service, PostgreSQL',
    team: 'payments',
    engine: 'postgres',
    dbInstance: 'payments-orders',
    state: 'healthy',
    rotationDays: 30,
  },
  {
    name: 'prod/payments/ledger-master',
    description: 'Ledger admin user',
    team: 'payments',
    engine: 'mysql',
    dbInstance: 'payments-ledger',
    state: 'not_enabled',
  },
  {
    name: 'prod/payments/ledger-app',
    description: 'Ledger app user, alternating users',
    team: 'payments',
    engine: 'mysql',
    dbInstance: 'payments-ledger',
    state: 'overdue',
    master: 'prod/payments/ledger-master',
    rotationDays: 30,
  },
  {
    name: 'prod/payments/cards-db',
    description: 'Card vault, MariaDB',
    team: 'payments',
    engine: 'mariadb',
    dbInstance: 'payments-cards',
    state: 'healthy',
    rotationDays: 60,
  },
  { name: 'prod/payments/reports-db', description: 'Finance reports', team: 'payments', engine: 'postgres', state: 'not_enabled' },
  {
    name: 'prod/identity/users-db',
    description: 'User directory, PostgreSQL',
    team: 'identity',
    engine: 'postgres',
    dbInstance: 'identity-users',
    state: 'failed',
    rotationDays: 30,
  },
  { name: 'prod/identity/sessions-db', description: 'Session store, MariaDB', team: 'identity', engine: 'mariadb', state: 'healthy', rotationDays: 90 },
  { name: 'prod/identity/audit-db', description: 'Audit trail', team: 'identity', engine: 'postgres', state: 'not_enabled' },
  { name: 'dev/identity/scratch-db', description: 'Developer scratch database', team: 'identity', engine: 'mysql', state: 'not_enabled' },
  { name: 'staging/analytics/warehouse-master', description: 'Warehouse admin user', team: 'analytics', engine: 'postgres', state: 'not_enabled' },
  {
    name: 'staging/analytics/warehouse-app',
    description: 'Warehouse app user, alternating users',
    team: 'analytics',
    engine: 'postgres',
    state: 'not_enabled',
    master: 'staging/analytics/warehouse-master',
  },
  { name: 'staging/analytics/events-db', description: 'Event store, MariaDB', team: 'analytics', engine: 'mariadb', state: 'overdue', rotationDays: 7 },
  { name: 'staging/analytics/legacy-reporting', description: 'Legacy reporting; value is not JSON', team: 'analytics', engine: 'mysql', state: 'bad_json' },
  // On the machine's own databases (127.0.0.1): these rotate for real (demo-databases.ts).
  {
    name: 'dev/analytics/metrics-db',
    description: 'Metrics, MariaDB on this machine',
    team: 'analytics',
    engine: 'mariadb',
    state: 'not_enabled',
    localUser: 'met',
  },
  {
    name: 'dev/analytics/catalog-master',
    description: 'Catalog admin user, MariaDB on this machine',
    team: 'analytics',
    engine: 'mariadb',
    state: 'not_enabled',
    localUser: 'adm',
  },
  {
    name: 'dev/analytics/catalog-app',
    description: 'Catalog app user, alternating users, MariaDB on this machine',
    team: 'analytics',
    engine: 'mariadb',
    state: 'not_enabled',
    master: 'dev/analytics/catalog-master',
    localUser: 'app',
  },
  {
    name: 'dev/analytics/notebooks-db',
    description: 'Notebooks, PostgreSQL on this machine',
    team: 'analytics',
    engine: 'postgres',
    state: 'not_enabled',
    localUser: 'nbk',
  },
  // Enough sandbox databases that the list has more than one page.
  ...Array.from({ length: 24 }, (_, i): DemoSecret => ({
    name: `dev/sandbox/app-${String(i + 1).padStart(2, '0')}-db`,
    description: 'Sandbox database',
    team: 'analytics',
    engine: (['postgres', 'mysql', 'mariadb'] as const)[i % 3]!,
    state: 'not_enabled',
  })),
];

/** An RDS instance with a managed master password: its secret belongs to RDS. */
export const DEMO_RDS_MANAGED_INSTANCE = 'analytics-aurora-managed';

const PORTS: Record<Engine, number> = { postgres: 5432, mysql: 3306, mariadb: 3306 };
/** The database the local demo users live in: the machine's PostgreSQL has `test`; demo-databases.ts creates `rc_demo` on MariaDB. */
export const LOCAL_DEMO_DBNAME: Record<Engine, string> = { postgres: 'test', mysql: 'rc_demo', mariadb: 'rc_demo' };

/**
 * The local user of a demo secret: `rc`, its `localUser` and the AWS endpoint's port, e.g.
 * `rcapp5000`. The port keeps two local defaults on one machine (each with its own moto) from
 * resetting each other's users, and a restart of the same one finds its users again. The tests'
 * users are `rc` and hex digits (or `rc_`), which no `localUser` here is. Short on purpose:
 * alternating-users rotation appends `_clone`, and MySQL user names have at most 16 characters.
 */
export const demoDbUsername = (localUser: string, endpoint: string | undefined) => `rc${localUser}${(endpoint && new URL(endpoint).port) || '443'}`;
const DAY_S = 86_400;

const exists = async (probe: () => Promise<unknown>): Promise<boolean> => {
  try {
    await probe();
    return true;
  } catch (error) {
    const name = (error as Error).name;
    if (/NotFound|NoSuchEntity|ResourceNotFoundException/.test(name)) return false;
    throw error;
  }
};

/**
 * A demo password. SEED_SECRET_MARKER (set by the e2e canary, e2e/canary) replaces the "demo"
 * prefix, so every seeded password carries one marker string that must never leave AWS. Each
 * secret has its own (a hash of its name), as a master and its app user would.
 */
export const demoPassword = (name: string) =>
  `${process.env.SEED_SECRET_MARKER ?? 'demo'}-${createHash('sha256').update(name).digest('base64url').slice(0, 12)}-Pw1`;

/** The security groups of identity's user directory (DB instance identity-users) and of its app servers, the one group it admits. */
export const IDENTITY_USERS_DB_GROUP = 'identity-users-db';
const IDENTITY_APP_GROUP = 'identity-app';
/** The security group of the demo VPC's Secrets Manager endpoint. */
const ENDPOINT_GROUP = 'secretsmanager-endpoint';
/** The DB instance with a security group of its own (IDENTITY_USERS_DB_GROUP); the others share the demo's db group. */
export const DEMO_LOCKED_DB_INSTANCE = 'identity-users';

async function ensureNetwork(aws: HarnessClients, { secretsManagerEndpoint }: { secretsManagerEndpoint: boolean }) {
  const tagged = [{ Name: 'tag:Name', Values: [DEMO_VPC_NAME] }];
  let vpcId = (await aws.ec2.send(new DescribeVpcsCommand({ Filters: tagged }))).Vpcs?.[0]?.VpcId;
  if (!vpcId) {
    const vpc = await aws.ec2.send(
      new CreateVpcCommand({ CidrBlock: '10.20.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: DEMO_VPC_NAME }] }] }),
    );
    vpcId = vpc.Vpc!.VpcId!;
  }
  const subnets = (await aws.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets ?? [];
  const subnetIds: string[] = subnets.map((s) => s.SubnetId!);
  const zones = ['a', 'b'];
  for (const [i, zone] of zones.entries()) {
    const name = `${DEMO_VPC_NAME}-private-${zone}`;
    if (subnets.some((s) => s.Tags?.some((t) => t.Key === 'Name' && t.Value === name))) continue;
    const created = await aws.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.20.${i + 1}.0/24`,
        AvailabilityZone: `${await regionOf(aws)}${zone}`,
        TagSpecifications: [{ ResourceType: 'subnet', Tags: [{ Key: 'Name', Value: name }] }],
      }),
    );
    subnetIds.push(created.Subnet!.SubnetId!);
  }
  const groupIds: Record<string, string> = {};
  const created = new Set<string>();
  for (const group of ['db', 'rotation-lambda', IDENTITY_USERS_DB_GROUP, IDENTITY_APP_GROUP, ENDPOINT_GROUP]) {
    const groupName = `${DEMO_VPC_NAME}-${group}`;
    const found = (
      await aws.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'group-name', Values: [groupName] },
          ],
        }),
      )
    ).SecurityGroups?.[0]?.GroupId;
    if (!found) created.add(group);
    groupIds[group] =
      found ?? (await aws.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: groupName, Description: `Rotation demo: ${group}` }))).GroupId!;
  }
  if (created.has('db')) {
    // The database accepts connections from the rotation functions' security group (which makes
    // that group part of the database's own network, for ownership) and from its own group, as
    // AWS's rotation tutorials set it up: a function the wizard puts in the database's groups reaches it.
    await aws.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupIds.db,
        IpPermissions: [5432, 3306].map((port) => ({
          IpProtocol: 'tcp',
          FromPort: port,
          ToPort: port,
          UserIdGroupPairs: [{ GroupId: groupIds['rotation-lambda'] }, { GroupId: groupIds.db }],
        })),
      }),
    );
  }
  if (created.has(IDENTITY_USERS_DB_GROUP)) {
    // identity's user directory admits its app servers alone: no rotation function reaches it, the
    // classic cause of a rotation that times out (its demo rotation failed; the preflight says why).
    await aws.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupIds[IDENTITY_USERS_DB_GROUP],
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: groupIds[IDENTITY_APP_GROUP] }] }],
      }),
    );
  }
  if (secretsManagerEndpoint) await ensureSecretsManagerEndpoint(aws, vpcId, subnetIds, groupIds, created.has(ENDPOINT_GROUP));
  return {
    vpcId,
    subnetIds,
    dbSecurityGroupId: groupIds.db!,
    lambdaSecurityGroupId: groupIds['rotation-lambda']!,
    identityUsersSecurityGroupId: groupIds[IDENTITY_USERS_DB_GROUP]!,
  };
}

/**
 * The demo VPC is private (no NAT): its functions reach Secrets Manager through an interface
 * endpoint with private DNS, whose group admits the functions' and the databases' groups on 443
 * (a function the wizard puts in a database's groups reaches it too).
 */
async function ensureSecretsManagerEndpoint(aws: HarnessClients, vpcId: string, subnetIds: string[], groupIds: Record<string, string>, groupCreated: boolean) {
  if (groupCreated) {
    await aws.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupIds[ENDPOINT_GROUP],
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: groupIds['rotation-lambda'] }, { GroupId: groupIds.db }] },
        ],
      }),
    );
  }
  const serviceName = `com.amazonaws.${await regionOf(aws)}.secretsmanager`;
  const existing = await aws.ec2.send(
    new DescribeVpcEndpointsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'service-name', Values: [serviceName] },
      ],
    }),
  );
  if (existing.VpcEndpoints?.length) return;
  await aws.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: vpcId,
      ServiceName: serviceName,
      VpcEndpointType: 'Interface',
      SubnetIds: subnetIds,
      SecurityGroupIds: [groupIds[ENDPOINT_GROUP]!],
      PrivateDnsEnabled: true,
    }),
  );
}

const regionOf = async (aws: HarnessClients) => (await aws.ec2.config.region()) as string;

/** LocalStack's open-source edition has no RDS: it answers 501 to every RDS call. */
const serviceMissing = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 501;

/** The demo's RDS instances and their endpoints; none where the emulator has no RDS (the secrets then name hosts of their own). */
async function ensureDatabases(aws: HarnessClients, network: Awaited<ReturnType<typeof ensureNetwork>>): Promise<Record<string, string>> {
  const subnetGroup = `${DEMO_VPC_NAME}-private`;
  let subnetGroupExists: boolean;
  try {
    subnetGroupExists = await exists(() => aws.rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: subnetGroup })));
  } catch (error) {
    if (serviceMissing(error)) return {};
    throw error;
  }
  if (!subnetGroupExists) {
    await aws.rds.send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: subnetGroup,
        DBSubnetGroupDescription: 'Rotation demo private subnets',
        SubnetIds: network.subnetIds,
      }),
    );
  }
  const hosts: Record<string, string> = {};
  const instances = new Map<string, Engine>();
  for (const s of DEMO_SECRETS) if (s.dbInstance) instances.set(s.dbInstance, s.engine);
  for (const [id, engine] of instances) {
    const group = id === DEMO_LOCKED_DB_INSTANCE ? network.identityUsersSecurityGroupId : network.dbSecurityGroupId;
    hosts[id] = await ensureDbInstance(aws, id, engine, subnetGroup, group, false);
  }
  await ensureDbInstance(aws, DEMO_RDS_MANAGED_INSTANCE, 'postgres', subnetGroup, network.dbSecurityGroupId, true);
  return hosts;
}

async function ensureDbInstance(aws: HarnessClients, id: string, engine: Engine, subnetGroup: string, securityGroupId: string, managed: boolean) {
  const describe = () => aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  if (!(await exists(describe))) {
    await aws.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        Engine: engine,
        // moto needs an EngineVersion for MariaDB; give every engine one.
        EngineVersion: { postgres: '15.5', mysql: '8.0.35', mariadb: '10.11.6' }[engine],
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'admin_user',
        ...(managed ? { ManageMasterUserPassword: true } : { MasterUserPassword: demoPassword(id) }),
        DBSubnetGroupName: subnetGroup,
        VpcSecurityGroupIds: [securityGroupId],
        Tags: [{ Key: 'team', Value: 'analytics' }],
      }),
    );
  }
  const instance = (await describe()).DBInstances?.[0];
  return instance?.Endpoint?.Address ?? `${id}.demo.internal`;
}

async function ensureFunctions(aws: HarnessClients, network: Awaited<ReturnType<typeof ensureNetwork>>) {
  const roleName = 'rotation-demo-function-role';
  let roleArn: string;
  try {
    roleArn = (await aws.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!.Arn!;
  } catch {
    roleArn = (
      await aws.iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          }),
        }),
      )
    ).Role!.Arn!;
  }
  // A placeholder body: these stand for functions "already created for another secret".
  // It logs its failure as the bundled function does (step and token), so the console can tell which rotation it was.
  const placeholder = [
    'export const handler = async (event) => {',
    '  const error = "demo placeholder function";',
    '  console.error(JSON.stringify({ level: "error", message: "rotation step failed", step: event.Step, secretArn: event.SecretId, versionId: event.ClientRequestToken, outcome: "failed", error }));',
    '  throw new Error(error);',
    '};',
    '',
  ].join('\n');
  const zip = zipSync({ 'index.mjs': strToU8(placeholder) });
  const arns: string[] = [];
  for (const name of DEMO_FUNCTIONS) {
    const get = () => aws.lambda.send(new GetFunctionCommand({ FunctionName: name }));
    if (!(await exists(get))) {
      await aws.lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs24.x',
          Role: roleArn,
          Handler: 'index.handler',
          Code: { ZipFile: zip },
          Timeout: 30,
          Description: `Demo rotation function (${name})`,
          // The multi-user function is payments' own; the single-user one rotates secrets of three teams, so it is nobody's.
          ...(DEMO_FUNCTION_TEAMS[name] ? { Tags: { team: DEMO_FUNCTION_TEAMS[name]! } } : {}),
          VpcConfig: { SubnetIds: network.subnetIds, SecurityGroupIds: [network.lambdaSecurityGroupId] },
        }),
      );
      // Secrets Manager may invoke it, for this account only, as the console's plan and AWS's templates grant.
      const [, , , , account] = (await get()).Configuration!.FunctionArn!.split(':');
      await aws.lambda.send(
        new AddPermissionCommand({
          FunctionName: name,
          StatementId: 'SecretsManagerAccess',
          Action: 'lambda:InvokeFunction',
          Principal: 'secretsmanager.amazonaws.com',
          SourceAccount: account,
        }),
      );
    }
    arns.push((await get()).Configuration!.FunctionArn!);
  }
  await aws.iam.send(
    new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'SecretsManagerRotation', PolicyDocument: JSON.stringify(rotationPolicy(arns)) }),
  );
  return arns;
}

/**
 * The demo functions' role policy, as AWS's rotation templates write it: the secrets whose rotation
 * function is one of these, a random password, and the payments master the multi-user function reads.
 */
const rotationPolicy = (functionArns: string[]) => {
  const [, , , region, account] = functionArns[0]!.split(':');
  const secrets = `arn:aws:secretsmanager:${region}:${account}:secret:`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        Resource: `${secrets}*`,
        Condition: { StringEquals: { 'secretsmanager:resource/AllowRotationLambdaArn': functionArns } },
      },
      { Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `${secrets}prod/payments/ledger-master-*` },
    ],
  };
};

const secretString = (s: DemoSecret, host: string, endpoint: string | undefined, masterArn?: string) =>
  s.state === 'bad_json'
    ? `host=${host};user=reporting;password=${demoPassword(s.name)}`
    : JSON.stringify({
        engine: s.engine,
        host,
        username: s.localUser ? demoDbUsername(s.localUser, endpoint) : s.name.split('/').pop()!.replace(/-/g, '_'),
        password: demoPassword(s.name),
        dbname: s.localUser ? LOCAL_DEMO_DBNAME[s.engine] : s.engine === 'postgres' ? 'postgres' : 'app',
        port: PORTS[s.engine],
        ...(masterArn ? { masterarn: masterArn } : {}),
      });

/**
 * Turns rotation on with the placeholder function (which fails: Secrets Manager leaves its
 * AWSPENDING version behind, as AWS does), then, unless the demo secret is to show that failure,
 * rotates as a working function would have, through the public API alone: a new version under
 * AWSPENDING, AWSCURRENT moved to it, and the four steps' lines in the function's log group, so
 * that the console's evidence rule (healthy only when the log shows all four steps) sees a
 * rotation that worked. These stand for a rotation that ran before the demo account existed,
 * against a database this machine does not have (as the backdated dates stand for older ones).
 */
async function rotateOnce(aws: HarnessClients, rotationDatesUrl: URL | undefined, s: DemoSecret, lambdaArn: string, value: string) {
  const before = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: s.name }));
  const current = Object.entries(before.VersionIdsToStages ?? {}).find(([, st]) => st?.includes('AWSCURRENT'))?.[0];
  await aws.secretsManager.send(
    new RotateSecretCommand({ SecretId: s.name, RotationLambdaARN: lambdaArn, RotationRules: { AutomaticallyAfterDays: s.rotationDays ?? 30 } }),
  );
  if (s.state === 'failed') return; // the function never worked: AWSPENDING stays on the new version
  const token = randomUUID();
  await aws.secretsManager.send(new PutSecretValueCommand({ SecretId: s.name, ClientRequestToken: token, SecretString: value, VersionStages: ['AWSPENDING'] }));
  await aws.secretsManager.send(
    new UpdateSecretVersionStageCommand({
      SecretId: s.name,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: token,
      ...(current ? { RemoveFromVersionId: current } : {}),
    }),
  );
  await aws.secretsManager.send(new UpdateSecretVersionStageCommand({ SecretId: s.name, VersionStage: 'AWSPENDING', RemoveFromVersionId: token }));
  await logRotationSteps(aws, lambdaArn, before.ARN!, token);
  // Secrets Manager recorded no rotation (the placeholder failed); this one stands for one that succeeded.
  await setRotationDates(rotationDatesUrl, s.name, { lastRotatedDate: Math.floor(Date.now() / 1000) });
}

/** The four steps' lines, one invocation each, as the bundled function logs them (packages/rotation rotation-log.ts reads them). */
async function logRotationSteps(aws: HarnessClients, lambdaArn: string, secretArn: string, versionId: string) {
  const logGroupName = `/aws/lambda/${lambdaArn.split(':').pop()}`;
  const logStreamName = `demo-seed/${versionId}`;
  await aws.logs.send(new CreateLogGroupCommand({ logGroupName })).catch((error: Error) => {
    if (error.name !== 'ResourceAlreadyExistsException') throw error;
  });
  await aws.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  const at = Date.now();
  const logEvents = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'].flatMap((step, i) => {
    const requestId = randomUUID();
    return [
      `START RequestId: ${requestId} Version: $LATEST`,
      JSON.stringify({ level: 'info', message: 'rotation step succeeded', step, secretArn, versionId, requestId, outcome: 'succeeded' }),
      `END RequestId: ${requestId}`,
    ].map((message, j) => ({ timestamp: at + i * 10 + j, message }));
  });
  await aws.logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents }));
}

/**
 * Sets the secret's rotation dates through the harness's extension of the emulator it started
 * (moto_launcher.py, rc_localstack): no AWS API can. Elsewhere nothing changes.
 */
async function setRotationDates(rotationDatesUrl: URL | undefined, secretId: string, dates: { lastRotatedDate?: number; nextRotationDate?: number }) {
  if (!rotationDatesUrl) return;
  const res = await fetch(rotationDatesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secretId, ...dates }) });
  if (!res.ok) throw new Error(`setting the rotation dates of ${secretId} at ${rotationDatesUrl.href} failed: HTTP ${res.status}`);
}

/** Moves an overdue demo secret's rotation dates into the past (the harness's emulators only). */
async function backdate(rotationDatesUrl: URL | undefined, s: DemoSecret) {
  const now = Math.floor(Date.now() / 1000);
  const days = s.rotationDays ?? 30;
  await setRotationDates(rotationDatesUrl, s.name, { lastRotatedDate: now - (days + 10) * DAY_S, nextRotationDate: now - 10 * DAY_S });
}

/**
 * The demo VPC alone (subnets, security groups), as seedDemoAccount makes it: for tests whose
 * workflow brings its own secret and function and needs only the network, at a fraction of the
 * whole account's cost (no RDS instances, functions, 41 secrets and their rotations; and a crawl
 * of the account is a crawl of nothing).
 */
export const seedDemoNetwork = async (aws: HarnessClients): Promise<{ vpcId: string }> => {
  const { vpcId } = await ensureNetwork(aws, { secretsManagerEndpoint: false });
  return { vpcId };
};

export interface SeedResult {
  created: string[];
  vpcId: string;
  functionArns: string[];
}

/**
 * `endpoint`: an emulator the harness started, whose backdating extension is at `rotationDatesPath`
 * (moto's by default); undefined elsewhere (the overdue secrets then stay healthy).
 * `secretsManagerEndpoint`: the demo VPC gets its Secrets Manager endpoint (the local default: its
 * functions reach Secrets Manager, as the preflight checks); without it (the API tests) the VPC has
 * no route to Secrets Manager, and the wizard offers to create the endpoint.
 */
export async function seedDemoAccount(
  aws: HarnessClients,
  endpoint: string | undefined,
  { rotationDatesPath = MOTO_ROTATION_DATES_PATH, secretsManagerEndpoint = false }: { rotationDatesPath?: string; secretsManagerEndpoint?: boolean } = {},
): Promise<SeedResult> {
  const rotationDatesUrl = endpoint ? new URL(rotationDatesPath, endpoint) : undefined;
  const network = await ensureNetwork(aws, { secretsManagerEndpoint });
  const hosts = await ensureDatabases(aws, network);
  const functionArns = await ensureFunctions(aws, network);
  const arns = new Map<string, string>();
  const created: string[] = [];

  for (const s of DEMO_SECRETS) {
    const describe = () => aws.secretsManager.send(new DescribeSecretCommand({ SecretId: s.name }));
    if (await exists(describe)) {
      arns.set(s.name, (await describe()).ARN!);
      continue;
    }
    const host = s.localUser ? '127.0.0.1' : (s.dbInstance && hosts[s.dbInstance]) || `${s.name.split('/').pop()}.demo.internal`;
    const masterArn = s.master ? arns.get(s.master) : undefined;
    const out = await aws.secretsManager.send(
      new CreateSecretCommand({
        Name: s.name,
        Description: s.description,
        SecretString: secretString(s, host, endpoint, masterArn),
        Tags: [
          { Key: 'team', Value: s.team },
          { Key: 'engine', Value: s.engine },
        ],
      }),
    );
    arns.set(s.name, out.ARN!);
    created.push(s.name);
    if (s.state === 'healthy' || s.state === 'overdue' || s.state === 'failed') {
      const lambdaArn = functionArns[s.master ? 1 : 0]!;
      await rotateOnce(aws, rotationDatesUrl, s, lambdaArn, secretString({ ...s, name: `${s.name}#2` }, host, endpoint, masterArn));
      if (s.state === 'overdue') await backdate(rotationDatesUrl, s);
    }
  }
  return { created, vpcId: network.vpcId, functionArns };
}
