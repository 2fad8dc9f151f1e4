import type {
  PreflightCheck,
  PreflightReport,
  MasterSecretCandidateList,
  PlanStep,
  RotationPlan,
  SchedulePreview,
  SecretCheck,
  SecretFormatCheck,
  SecretNetwork,
  VpcDetail,
  Workflow,
  WorkflowStep,
} from '@rotation-console/contracts';
import { lambdaArn } from './fixtures.ts';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

export const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;

/** Five daily windows from 2026-12-01, 3 hours each, as the API lists them. */
export const fiveWindows = (firstDay = '2026-12-01', everyDays = 30) =>
  Array.from({ length: 5 }, (_, index) => {
    const start = new Date(`${firstDay}T04:00:00.000Z`);
    start.setUTCDate(start.getUTCDate() + index * everyDays);
    const end = new Date(start.getTime() + 3 * 3600_000);
    return { start: start.toISOString(), end: end.toISOString() };
  });

export const aSchedulePreview = (overrides: Partial<SchedulePreview> = {}): SchedulePreview => ({
  valid: true,
  errors: [],
  description: 'every 30 days',
  windows: fiveWindows(),
  advice: ['If rotating to meet compliance requirements, set the interval at least 1 day less than the compliance-mandated interval.'],
  ...overrides,
});

export const anInvalidSchedulePreview = (errors: string[]): SchedulePreview => ({
  valid: false,
  errors,
  description: null,
  windows: [],
  advice: [],
});

export const aFormatCheck = (overrides: Partial<SecretFormatCheck> = {}): SecretFormatCheck => ({
  secretName: 'prod/orders/postgres',
  ok: true,
  engine: 'postgres',
  fields: [
    { field: 'engine', verdict: 'ok', message: 'postgres' },
    { field: 'host', verdict: 'ok', message: 'Present' },
    { field: 'username', verdict: 'ok', message: 'Present' },
    { field: 'password', verdict: 'ok', message: 'Present' },
    { field: 'port', verdict: 'ok', message: 'Present' },
  ],
  problems: [],
  fix: null,
  ...overrides,
});

export const aSecretCheck = (overrides: Partial<SecretCheck> = {}): SecretCheck => ({
  ok: true,
  secret: aFormatCheck(),
  masterSecret: null,
  ...overrides,
});

export const ORDERS_DB = {
  id: 'orders-db',
  engine: 'postgres',
  vpcId: 'vpc-0a1b2c3d',
  subnetIds: ['subnet-private-a', 'subnet-private-b'],
  securityGroupIds: ['sg-orders-db'],
};

export const aFoundNetwork = (overrides: Partial<SecretNetwork> = {}): SecretNetwork => ({
  host: 'orders-db.abc123.us-east-1.rds.amazonaws.com',
  dbInstance: ORDERS_DB,
  suggestEndpoint: false,
  message: 'The host is the endpoint of RDS instance orders-db.',
  ...overrides,
});

export const aNotFoundNetwork = (): SecretNetwork => ({
  host: 'db.internal.example',
  dbInstance: null,
  suggestEndpoint: false,
  message: 'No RDS instance has the host db.internal.example.',
});

export const aVpcDetail = (overrides: Partial<VpcDetail> = {}): VpcDetail => ({
  vpc: { id: 'vpc-0a1b2c3d', cidr: '10.0.0.0/16', name: 'orders', isDefault: false },
  subnets: [
    { id: 'subnet-private-a', vpcId: 'vpc-0a1b2c3d', cidr: '10.0.1.0/24', availabilityZone: 'us-east-1a', name: 'private-a', hasRouteOut: true },
    { id: 'subnet-private-b', vpcId: 'vpc-0a1b2c3d', cidr: '10.0.2.0/24', availabilityZone: 'us-east-1b', name: 'private-b', hasRouteOut: true },
  ],
  securityGroups: [
    { id: 'sg-orders-db', vpcId: 'vpc-0a1b2c3d', name: 'orders-db', description: 'Orders database' },
    { id: 'sg-rotation', vpcId: 'vpc-0a1b2c3d', name: 'rotation', description: 'Rotation functions' },
  ],
  secretsManagerEndpointId: null,
  ...overrides,
});

/** A VPC whose subnets have no route out and no Secrets Manager endpoint. */
export const anIsolatedVpc = (): VpcDetail => ({
  vpc: { id: 'vpc-isolated', cidr: '10.9.0.0/16', name: 'isolated', isDefault: false },
  subnets: [
    { id: 'subnet-iso-a', vpcId: 'vpc-isolated', cidr: '10.9.1.0/24', availabilityZone: 'us-east-1a', name: 'iso-a', hasRouteOut: false },
    { id: 'subnet-iso-b', vpcId: 'vpc-isolated', cidr: '10.9.2.0/24', availabilityZone: 'us-east-1b', name: 'iso-b', hasRouteOut: false },
  ],
  securityGroups: [{ id: 'sg-iso', vpcId: 'vpc-isolated', name: 'iso-db', description: null }],
  secretsManagerEndpointId: null,
});

export const aVpcList = () => ({
  items: [
    { id: 'vpc-default', cidr: '172.31.0.0/16', name: null, isDefault: true },
    { id: 'vpc-isolated', cidr: '10.9.0.0/16', name: 'isolated', isDefault: false },
  ],
});

export const aLambdaFunctionList = () => ({
  items: [
    { name: 'rotate-orders-postgres', arn: lambdaArn('rotate-orders-postgres'), runtime: 'nodejs24.x', description: 'Orders rotation', vpcId: 'vpc-0a1b2c3d' },
    { name: 'rotate-billing-mysql', arn: lambdaArn('rotate-billing-mysql'), runtime: 'nodejs24.x', description: null, vpcId: null },
  ],
});

export const ORDERS_HOST = 'orders-db.abc123.us-east-1.rds.amazonaws.com';

/** What the API offers as the master secret of prod/orders/postgres: secrets for its database, with that database. */
export const aMasterSecretCandidateList = (overrides: Partial<MasterSecretCandidateList> = {}): MasterSecretCandidateList => ({
  database: { engine: 'postgres', host: ORDERS_HOST, port: 5432 },
  items: [
    {
      name: 'prod/orders/postgres-master',
      arn: secretArn('prod/orders/postgres-master'),
      description: 'Orders admin user',
      team: 'payments',
      database: { engine: 'postgres', host: ORDERS_HOST, port: 5432 },
    },
    {
      name: 'prod/orders/postgres-owner',
      arn: secretArn('prod/orders/postgres-owner'),
      description: null,
      team: 'payments',
      database: { engine: 'postgres', host: ORDERS_HOST, port: null },
    },
  ],
  truncated: false,
  ...overrides,
});

const step = (id: string, kind: PlanStep['kind'], title: string, awsCalls: string[], dependsOn: string[], cli: string | null): PlanStep => ({
  id,
  kind,
  title,
  awsCalls,
  dependsOn,
  cli,
});

/** The plan's steps in the order they run (packages/rotation orders them stage by stage), as the API sends them. */
const PLAN_STEPS: PlanStep[] = [
  step(
    'change-set',
    'create-function-change-set',
    'Create the function change set',
    ['cloudformation:CreateChangeSet'],
    [],
    'aws cloudformation create-change-set --stack-name SecretsManager-postgres',
  ),
  step(
    'execute',
    'execute-change-set',
    'Execute the change set',
    ['cloudformation:ExecuteChangeSet'],
    ['change-set'],
    'aws cloudformation execute-change-set --change-set-name cs-1',
  ),
  step('arn', 'read-function-arn', 'Read the function ARN', ['cloudformation:DescribeStackResources'], ['execute'], null),
  step(
    'permission',
    'add-invoke-permission',
    'Let Secrets Manager invoke the function',
    ['lambda:AddPermission'],
    ['arn'],
    'aws lambda add-permission --function-name f',
  ),
  step(
    'vpc',
    'configure-function-vpc',
    'Run the function in the VPC',
    ['lambda:UpdateFunctionConfiguration'],
    ['arn'],
    'aws lambda update-function-configuration --vpc-config SubnetIds=a',
  ),
  step(
    'rotate',
    'rotate-secret',
    'Turn on rotation and rotate once',
    ['secretsmanager:RotateSecret'],
    ['permission', 'vpc'],
    'aws secretsmanager rotate-secret --secret-id prod/orders/postgres',
  ),
];

export const aRotationPlan = (overrides: Partial<RotationPlan> = {}): RotationPlan => ({
  secretArn: secretArn('prod/orders/postgres'),
  secretName: 'prod/orders/postgres',
  engine: 'postgres',
  strategy: 'single-user',
  functionSource: 'bundled-template',
  schedule: { description: 'every 30 days', windows: fiveWindows() },
  steps: PLAN_STEPS,
  stages: [['change-set'], ['execute'], ['arn'], ['permission', 'vpc'], ['rotate']],
  // As the API builds it: each step's command, in the steps' order.
  cliSession: PLAN_STEPS.flatMap((s) => (s.cli ? [s.cli] : [])).join('\n'),
  check: aSecretCheck(),
  warnings: [],
  resources: [
    { kind: 'stack', id: 'SecretsManagerRotation-rotate-orders-postgres', owner: 'team payments', use: 'create' },
    { kind: 'function', id: 'rotate-orders-postgres', owner: 'team payments', use: 'create' },
  ],
  sharedFunction: null,
  ...overrides,
});

export const aWorkflowStep = (overrides: Partial<WorkflowStep> = {}): WorkflowStep => ({
  id: 'change-set',
  kind: 'create-function-change-set',
  title: 'Create the function change set',
  status: 'pending',
  dependsOn: [],
  attempts: 0,
  startedAt: null,
  finishedAt: null,
  awsRequestId: null,
  error: null,
  output: null,
  ...overrides,
});

export const aWorkflow = (overrides: Partial<Workflow> = {}): Workflow => ({
  id: 'wf-1',
  kind: 'enable-rotation',
  status: 'running',
  subject: secretArn('prod/orders/postgres'),
  createdBy: { id: 'u-1', name: 'Olivia Operator' },
  createdAt: '2026-11-30T10:00:00.000Z',
  startedAt: '2026-11-30T10:00:01.000Z',
  finishedAt: null,
  error: null,
  steps: [aWorkflowStep()],
  outcome: null,
  ...overrides,
});

/** One preflight check; passing unless told otherwise. */
export const aPreflightCheck = (overrides: Partial<PreflightCheck> = {}): PreflightCheck => ({
  id: 'network-database',
  title: 'Network to the database',
  verdict: 'pass',
  summary: 'The database admits the function on 5432.',
  findings: [{ verdict: 'pass', message: 'sg-0db admits sg-0fn on tcp 5432.', fix: null }],
  evidence: ['sg-0db ingress: tcp 5432 from sg-0fn'],
  method: null,
  ...overrides,
});

/** The network check failing: the database's security group does not admit the function, with the command that fixes it. */
export const aFailingNetworkCheck = (): PreflightCheck =>
  aPreflightCheck({
    verdict: 'fail',
    summary: 'The database does not admit the function on 5432.',
    findings: [
      {
        verdict: 'fail',
        message: 'sg-0db (orders-db) admits nothing from sg-0fn (rotation) on tcp 5432.',
        fix: 'aws ec2 authorize-security-group-ingress --group-id sg-0db --protocol tcp --port 5432 --source-group sg-0fn --region us-east-1',
      },
    ],
    evidence: ['sg-0db ingress: tcp 3306 from sg-0other'],
  });

/** The preflight of prod/orders/postgres: every check passes unless `checks` says otherwise. */
export const aPreflightReport = (checks: PreflightCheck[] = [aPreflightCheck()]): PreflightReport => {
  const order = ['fail', 'unknown', 'warning', 'pass'] as const;
  return {
    secretArn: secretArn('prod/orders/postgres'),
    secretName: 'prod/orders/postgres',
    functionArn: null,
    strategy: 'single-user',
    checkedAt: '2026-12-07T10:00:00.000Z',
    verdict: order.find((v) => checks.some((c) => c.verdict === v)) ?? 'pass',
    checks,
  };
};
