import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { sdk } from './aws-sdk.ts';
import type { AwsClientFactory } from './aws.ts';
import { callAws } from './aws-errors.ts';

/** The console's own account and partition, from STS GetCallerIdentity with its own credentials. */
export const callerIdentity = async (aws: AwsClientFactory): Promise<{ accountId: string; partition: string }> => {
  const out = await callAws('GetCallerIdentity', () => aws.home().sts.send(new GetCallerIdentityCommand({})));
  if (!out.Account) throw new Error('STS GetCallerIdentity returned no account');
  return { accountId: out.Account, partition: out.Arn?.split(':')[1] ?? 'aws' };
};

/**
 * The organization's active accounts (Organizations ListAccounts, every page), asked from the
 * console's own account: the management account or a delegated administrator of the organization.
 * Suspended and closing accounts are left out: no role can be assumed in them.
 */
export const listActiveAccounts = async (aws: AwsClientFactory): Promise<{ id: string; name: string }[]> => {
  const { ListAccountsCommand } = sdk.organizations();
  const accounts: { id: string; name: string }[] = [];
  let token: string | undefined;
  do {
    const out = await callAws('ListAccounts', () => aws.home().organizations.send(new ListAccountsCommand({ ...(token ? { NextToken: token } : {}) })));
    for (const a of out.Accounts ?? []) {
      const state = a.State ?? a.Status;
      if (a.Id && (state === undefined || state === 'ACTIVE')) accounts.push({ id: a.Id, name: a.Name ?? a.Id });
    }
    token = out.NextToken || undefined;
  } while (token);
  return accounts;
};
