import { existsSync, readFileSync } from 'node:fs';
import { AccountsConfig } from '@rotation-console/contracts';

export class AccountsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountsConfigError';
  }
}

/** Parses the accounts file at `path` (ACCOUNTS_CONFIG); a bad file stops the process with the path and the fields that are wrong. */
export const loadAccountsConfig = (path: string): AccountsConfig => {
  if (!existsSync(path)) throw new AccountsConfigError(`ACCOUNTS_CONFIG ${path} does not exist; fix the path or unset ACCOUNTS_CONFIG.`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AccountsConfigError(`ACCOUNTS_CONFIG ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = AccountsConfig.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new AccountsConfigError(`ACCOUNTS_CONFIG ${path} is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
};
