// Where the targets come from (issue 14 item 1): an accounts file, AWS Organizations, or the
// console's own account; bad settings are refused naming what is wrong.
import { writeFileSync } from 'node:fs';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { AccountsConfigError } from '../../src/platform/targets/accounts-config.ts';
import { targetsSourceOf } from '../../src/platform/targets/targets-source.ts';
import { buildApi, motoEndpoint, reset } from '../support/support.ts';
import { accountsFile, HOME_ACCOUNT } from './fleet-support.ts';

const targetsOf = async (env: Record<string, string>) => {
  const api = await buildApi(env);
  try {
    return (await api.targets.list()).map((t) => [t.accountId, t.accountName, t.region, t.roleArn]);
  } finally {
    await api.close();
  }
};

describe('The targets the console covers', () => {
  it('When nothing is configured, then the console covers its own account in AWS_REGION, or in each region of FLEET_REGIONS, with its own credentials', async () => {
    expect(await targetsOf({})).toEqual([[HOME_ACCOUNT, HOME_ACCOUNT, 'us-east-1', null]]);
    expect(await targetsOf({ FLEET_REGIONS: 'us-east-1, eu-west-1' })).toEqual([
      [HOME_ACCOUNT, HOME_ACCOUNT, 'us-east-1', null],
      [HOME_ACCOUNT, HOME_ACCOUNT, 'eu-west-1', null],
    ]);
  });

  it('When ORGANIZATION_ROLE_NAME is set, then every active account of the organization is covered through that role, the console account with its own credentials', async () => {
    // Arrange: an organization in moto whose management account is the console's.
    await reset();
    const org = new OrganizationsClient({ endpoint: motoEndpoint(), region: 'us-east-1' });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const made = await org.send(new CreateAccountCommand({ AccountName: 'payments-prod', Email: 'payments-prod@example.com' }));
    const memberId = made.CreateAccountStatus!.AccountId!;

    // Act
    const targets = await targetsOf({ ORGANIZATION_ROLE_NAME: 'RotationConsoleReader', FLEET_REGIONS: 'us-east-1,eu-west-1' });

    // Assert
    expect(targets).toContainEqual([memberId, 'payments-prod', 'eu-west-1', `arn:aws:iam::${memberId}:role/RotationConsoleReader`]);
    expect(targets).toContainEqual([memberId, 'payments-prod', 'us-east-1', `arn:aws:iam::${memberId}:role/RotationConsoleReader`]);
    expect(targets.filter((t) => t[0] === HOME_ACCOUNT).map((t) => t[3])).toEqual([null, null]);
  });

  it('When the accounts file is wrong, then the API refuses to start, naming the file and each field at fault', () => {
    // Arrange
    const file = accountsFile({ accounts: [] } as never);
    writeFileSync(
      file,
      JSON.stringify({
        accounts: [
          { id: '12345', name: 'short', regions: ['us-east-1'] },
          { id: '111122223333', name: 'payments', roleArn: 'arn:aws:iam::999999999999:role/Other', regions: ['mars-north-1x'] },
          { id: '111122223333', name: 'again', regions: ['us-east-1'] },
        ],
      }),
    );

    // Act
    const refused = () => targetsSourceOf(loadConfig({ ACCOUNTS_CONFIG: file }));

    // Assert
    expect(refused).toThrow(AccountsConfigError);
    expect(refused).toThrow(`ACCOUNTS_CONFIG ${file} is invalid`);
    expect(refused).toThrow('accounts.0.id: must be a 12-digit AWS account id');
    expect(refused).toThrow('accounts.1.regions.0: must be an AWS region such as us-east-1');
    expect(refused).toThrow('accounts.1.roleArn: the role is in account 999999999999, not 111122223333');
    expect(refused).toThrow('accounts.2.id: account 111122223333 is listed twice');
    expect(() => targetsSourceOf(loadConfig({ ACCOUNTS_CONFIG: '/nonexistent/accounts.json' }))).toThrow(
      'ACCOUNTS_CONFIG /nonexistent/accounts.json does not exist; fix the path or unset ACCOUNTS_CONFIG.',
    );
  });

  it('When both an accounts file and an organization role are set, or a region is misspelt, then the settings are refused naming the keys', () => {
    expect(() => loadConfig({ ACCOUNTS_CONFIG: '/x.json', ORGANIZATION_ROLE_NAME: 'RotationConsoleReader' })).toThrow(
      'ORGANIZATION_ROLE_NAME: set ACCOUNTS_CONFIG or ORGANIZATION_ROLE_NAME, not both',
    );
    expect(() => loadConfig({ FLEET_REGIONS: 'us-east-1,useast2' })).toThrow('FLEET_REGIONS.1: must be an AWS region such as us-east-1');
  });
});
