import { AccountsConfig } from '@rotation-console/contracts';
import { readConfigFile } from '../config-file.ts';

export class AccountsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountsConfigError';
  }
}

/** Parses the accounts file at `path` (ACCOUNTS_CONFIG); a bad file stops the process with the path and the fields that are wrong. */
export const loadAccountsConfig = (path: string): AccountsConfig =>
  readConfigFile('ACCOUNTS_CONFIG', path, AccountsConfig, (message) => new AccountsConfigError(message));
