import { InputError } from '../errors.ts';

/**
 * One account-region the console covers: where a secret lives, and how the console reaches it
 * (the role it assumes in the account, or its own credentials when `roleArn` is null).
 */
export interface Target {
  /** `<account id>:<region>`, the target's name in the console's database and its logs. */
  key: string;
  accountId: string;
  accountName: string;
  region: string;
  roleArn: string | null;
  /** The team that owns the account whole (the teams file's `accounts`): the team of its untagged resources. */
  owningTeam: string | null;
}

export const targetKey = (accountId: string, region: string) => `${accountId}:${region}`;

export const makeTarget = (accountId: string, accountName: string, region: string, roleArn: string | null, owningTeam: string | null = null): Target => ({
  key: targetKey(accountId, region),
  accountId,
  accountName,
  region,
  roleArn,
  owningTeam,
});

/** The account and region an ARN names (arn:partition:service:region:account:resource), or null for anything else, such as a secret's name. */
export const accountRegionOfArn = (arn: string): { accountId: string; region: string } | null => {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !/^\d{12}$/.test(parts[4]!) || !parts[3]) return null;
  return { accountId: parts[4]!, region: parts[3] };
};

/** The error for an account-region the console does not cover: it names the target and where targets come from. */
export class UnknownTargetError extends InputError {
  constructor(accountId: string, region: string, what: string) {
    super({
      message: `${what} is in account ${accountId}, region ${region}, which the console does not cover: add the account and region to ACCOUNTS_CONFIG (or FLEET_REGIONS), or use a secret the console covers.`,
      details: [{ path: 'secretId', message: `account ${accountId} region ${region} is not a configured target` }],
    });
  }
}
