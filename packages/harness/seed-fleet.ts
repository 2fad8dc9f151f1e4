import { writeFileSync } from 'node:fs';
import { CreateSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { inMotoAccount } from './aws.ts';
import { demoPassword } from './seed.ts';

/**
 * The local default's fleet on moto: a member account ("payments-prod") in two regions beside the
 * demo account, so the dashboard, the Secrets list and the portal show accounts and regions. moto
 * keeps accounts apart by the credentials sts:AssumeRole returns (any role ARN is assumed), so the
 * console reaches it exactly as it would a real member account, through the role of the accounts file.
 */
export const DEMO_HOME_ACCOUNT = '123456789012';
export const DEMO_MEMBER_ACCOUNT = { id: '111111111111', name: 'payments-prod', regions: ['us-east-1', 'eu-west-1'] } as const;
export const DEMO_MEMBER_ROLE = `arn:aws:iam::${DEMO_MEMBER_ACCOUNT.id}:role/RotationConsoleOperator`;

/** The member account's secrets, never rotated: rotation is the operators' to enable. */
export const DEMO_FLEET_SECRETS: { region: string; name: string; team: string; engine: string; description: string }[] = [
  { region: 'us-east-1', name: 'payments-prod/ledger-db', team: 'payments', engine: 'postgres', description: 'Ledger, PostgreSQL (payments-prod)' },
  { region: 'us-east-1', name: 'payments-prod/settlements-db', team: 'payments', engine: 'mysql', description: 'Settlements, MySQL (payments-prod)' },
  { region: 'eu-west-1', name: 'payments-eu/orders-db', team: 'payments', engine: 'postgres', description: 'EU orders, PostgreSQL (payments-prod, Ireland)' },
  { region: 'eu-west-1', name: 'payments-eu/refunds-db', team: 'payments', engine: 'mariadb', description: 'EU refunds, MariaDB (payments-prod, Ireland)' },
  { region: 'eu-west-1', name: 'analytics-eu/events-db', team: 'analytics', engine: 'postgres', description: 'EU events, PostgreSQL (payments-prod, Ireland)' },
];

/** The accounts file of the local default on moto: the demo account in its region, the member account in two. */
export const demoAccountsConfig = (homeRegion: string) => ({
  $comment: 'The local default on moto (scripts/start.ts writes this file): the demo account, and a member account reached through its role.',
  accounts: [
    { id: DEMO_HOME_ACCOUNT, name: 'demo', regions: [homeRegion] },
    { id: DEMO_MEMBER_ACCOUNT.id, name: DEMO_MEMBER_ACCOUNT.name, roleArn: DEMO_MEMBER_ROLE, regions: [...DEMO_MEMBER_ACCOUNT.regions] },
  ],
});

/** Writes the accounts file for `homeRegion` to `path`. */
export const writeDemoAccountsConfig = (path: string, homeRegion: string) =>
  writeFileSync(path, `${JSON.stringify(demoAccountsConfig(homeRegion), null, 2)}\n`);

/** Creates the member account's secrets that are missing (idempotent); returns the names it created. */
export async function seedDemoFleet(endpoint: string): Promise<string[]> {
  const created: string[] = [];
  for (const s of DEMO_FLEET_SECRETS) {
    const client = inMotoAccount(new SecretsManagerClient({ endpoint, region: s.region }), DEMO_MEMBER_ACCOUNT.id);
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
