import { readFileSync, writeFileSync } from 'node:fs';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { inMotoAccount } from './aws.ts';
import { demoPassword } from './seed.ts';

/**
 * The local default's fleet on moto: two member accounts ("payments-prod" in two regions,
 * "analytics-dev" in one) beside the demo account, so the dashboard, the Secrets list and the
 * portal show three accounts in two regions, and a third member account ("sandbox") that joined the
 * organization before its role was deployed, so the fleet shows a target that fails beside the others.
 * moto keeps accounts apart by the credentials sts:AssumeRole returns; the local default starts it
 * with --roles-must-exist, so the console reaches a member account, as in AWS, only through a role
 * that is there: the seed deploys deploy/member-roles/operator.yaml in each member account but the
 * sandbox, as the StackSet of docs/fleet.md would.
 */
export const DEMO_HOME_ACCOUNT = '123456789012';
export const DEMO_MEMBER_ACCOUNT = { id: '111111111111', name: 'payments-prod', regions: ['us-east-1', 'eu-west-1'] } as const;
export const DEMO_ANALYTICS_ACCOUNT = { id: '222222222222', name: 'analytics-dev', regions: ['eu-west-1'] } as const;
/** A member account without the console's role: the fleet shows it failed (AccessDenied), the others fresh. */
export const DEMO_SANDBOX_ACCOUNT = { id: '333333333333', name: 'sandbox', regions: ['us-east-1'] } as const;
const MEMBER_ACCOUNTS = [DEMO_MEMBER_ACCOUNT, DEMO_ANALYTICS_ACCOUNT];
/** The console's role in a member account, as deploy/member-roles/operator.yaml names it. */
export const demoMemberRole = (accountId: string) => `arn:aws:iam::${accountId}:role/RotationConsoleOperator`;

/** The member account's secrets, never rotated: rotation is the operators' to enable. */
export const DEMO_FLEET_SECRETS: { account: string; region: string; name: string; team: string; engine: string; description: string }[] = [
  {
    account: DEMO_ANALYTICS_ACCOUNT.id,
    region: 'eu-west-1',
    name: 'analytics-dev/warehouse-db',
    team: 'analytics',
    engine: 'postgres',
    description: 'Warehouse, PostgreSQL (analytics-dev, Ireland)',
  },
  {
    account: DEMO_ANALYTICS_ACCOUNT.id,
    region: 'eu-west-1',
    name: 'analytics-dev/etl-db',
    team: 'analytics',
    engine: 'mysql',
    description: 'ETL staging, MySQL (analytics-dev, Ireland)',
  },
  {
    account: DEMO_MEMBER_ACCOUNT.id,
    region: 'us-east-1',
    name: 'payments-prod/ledger-db',
    team: 'payments',
    engine: 'postgres',
    description: 'Ledger, PostgreSQL (payments-prod)',
  },
  {
    account: DEMO_MEMBER_ACCOUNT.id,
    region: 'us-east-1',
    name: 'payments-prod/settlements-db',
    team: 'payments',
    engine: 'mysql',
    description: 'Settlements, MySQL (payments-prod)',
  },
  {
    account: DEMO_MEMBER_ACCOUNT.id,
    region: 'eu-west-1',
    name: 'payments-eu/orders-db',
    team: 'payments',
    engine: 'postgres',
    description: 'EU orders, PostgreSQL (payments-prod, Ireland)',
  },
  {
    account: DEMO_MEMBER_ACCOUNT.id,
    region: 'eu-west-1',
    name: 'payments-eu/refunds-db',
    team: 'payments',
    engine: 'mariadb',
    description: 'EU refunds, MariaDB (payments-prod, Ireland)',
  },
  {
    account: DEMO_MEMBER_ACCOUNT.id,
    region: 'eu-west-1',
    name: 'analytics-eu/events-db',
    team: 'analytics',
    engine: 'postgres',
    description: 'EU events, PostgreSQL (payments-prod, Ireland)',
  },
];

/** The accounts file of the local default on moto: the demo account in its region, the member accounts in theirs. */
export const demoAccountsConfig = (homeRegion: string) => ({
  $comment: 'The local default on moto (scripts/start.ts writes this file): the demo account, and a member account reached through its role.',
  accounts: [
    { id: DEMO_HOME_ACCOUNT, name: 'demo', regions: [homeRegion] },
    ...[...MEMBER_ACCOUNTS, DEMO_SANDBOX_ACCOUNT].map((a) => ({ id: a.id, name: a.name, roleArn: demoMemberRole(a.id), regions: [...a.regions] })),
  ],
});

/** Writes the accounts file for `homeRegion` to `path`. */
export const writeDemoAccountsConfig = (path: string, homeRegion: string) =>
  writeFileSync(path, `${JSON.stringify(demoAccountsConfig(homeRegion), null, 2)}\n`);

/** The member accounts in words, for start.ts's line. */
export const DEMO_FLEET_IN_WORDS = [
  ...MEMBER_ACCOUNTS.map((a) => `${a.id} (${a.name}) in ${a.regions.join(' and ')}`),
  `${DEMO_SANDBOX_ACCOUNT.id} (${DEMO_SANDBOX_ACCOUNT.name}, no console role: shown failed)`,
].join(', ');

const OPERATOR_TEMPLATE = new URL('../../deploy/member-roles/operator.yaml', import.meta.url);
const MEMBER_ROLE_STACK = 'rotation-console-member-role';

/**
 * Deploys the operator role template in each member account but the sandbox (idempotent), trusting
 * the console's role in the demo account; returns the accounts it deployed to.
 */
export async function deployDemoMemberRoles(endpoint: string): Promise<string[]> {
  const deployed: string[] = [];
  for (const account of MEMBER_ACCOUNTS) {
    const cfn = inMotoAccount(new CloudFormationClient({ endpoint, region: 'us-east-1' }), account.id);
    const exists = await cfn.send(new DescribeStacksCommand({ StackName: MEMBER_ROLE_STACK })).then(
      () => true,
      (error: { name?: string; message?: string }) => {
        if (error.name === 'ValidationError' && /does not exist/.test(error.message ?? '')) return false;
        throw error;
      },
    );
    if (!exists) {
      await cfn.send(
        new CreateStackCommand({
          StackName: MEMBER_ROLE_STACK,
          TemplateBody: readFileSync(OPERATOR_TEMPLATE, 'utf8'),
          Parameters: [{ ParameterKey: 'ConsoleRoleArn', ParameterValue: `arn:aws:iam::${DEMO_HOME_ACCOUNT}:role/rotation-console` }],
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      );
      deployed.push(account.id);
    }
    cfn.destroy();
  }
  return deployed;
}

/** Creates the member accounts' secrets that are missing (idempotent); returns the names it created. */
export async function seedDemoFleet(endpoint: string): Promise<string[]> {
  const created: string[] = [];
  for (const s of DEMO_FLEET_SECRETS) {
    const client = inMotoAccount(new SecretsManagerClient({ endpoint, region: s.region }), s.account);
    const found = await client.send(new DescribeSecretCommand({ SecretId: s.name })).then(
      () => true,
      (error: { name?: string }) => {
        if (error.name === 'ResourceNotFoundException') return false;
        throw error;
      },
    );
    if (!found) {
      await client.send(
        new CreateSecretCommand({
          Name: s.name,
          Description: s.description,
          // Hosts that do not exist: these secrets show the fleet; the demo account's secrets rotate for real.
          SecretString: JSON.stringify({
            engine: s.engine,
            host: `${s.name.split('/').pop()}.${s.region}.demo.internal`,
            username: 'app',
            password: demoPassword(`${s.region}/${s.name}`),
            dbname: 'app',
            port: s.engine === 'postgres' ? 5432 : 3306,
          }),
          Tags: [
            { Key: 'team', Value: s.team },
            { Key: 'engine', Value: s.engine },
          ],
        }),
      );
      created.push(s.name);
    }
    client.destroy();
  }
  return created;
}
