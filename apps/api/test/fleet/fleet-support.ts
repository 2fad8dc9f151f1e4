import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AccountsConfig } from '@rotation-console/contracts';
import { inMotoAccount } from '@rotation-console/harness/aws.ts';
import type { InterceptedAnswer } from '@rotation-console/harness/aws-proxy.ts';

/** moto's default account: the console's own. */
export const HOME_ACCOUNT = '123456789012';
export const PAYMENTS_ACCOUNT = '111111111111';
export const ANALYTICS_ACCOUNT = '222222222222';
export const readerRole = (account: string) => `arn:aws:iam::${account}:role/RotationConsoleReader`;

/** Writes an accounts file (ACCOUNTS_CONFIG) to a temporary folder and returns its path. */
export const accountsFile = (config: AccountsConfig): string => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rc-accounts-')), 'accounts.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
};

/** A Secrets Manager client acting in `account` and `region` of moto. */
export const secretsIn = (endpoint: string, account: string, region: string) =>
  inMotoAccount(new SecretsManagerClient({ endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } }), account);

export const createSecretIn = async (endpoint: string, account: string, region: string, name: string, tags: Record<string, string> = {}) => {
  const out = await secretsIn(endpoint, account, region).send(
    new CreateSecretCommand({
      Name: name,
      SecretString: JSON.stringify({ engine: 'postgres', host: 'db.internal', username: 'app', password: 'not-a-real-one', dbname: 'app', port: 5432 }),
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  return out.ARN!;
};

/**
 * The AWS proxy's answer to sts:AssumeRole of `roleArn`: AccessDenied, as STS answers for a role that
 * does not exist or does not trust the console (moto assumes any role, so only a proxy can refuse).
 */
export const denyAssumeRole =
  (roleArn: string) =>
  async ({ body }: { body: Buffer }): Promise<InterceptedAnswer | undefined> => {
    const params = new URLSearchParams(body.toString('utf8'));
    if (params.get('Action') !== 'AssumeRole' || params.get('RoleArn') !== roleArn) return undefined;
    return {
      status: 403,
      contentType: 'text/xml',
      body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::${HOME_ACCOUNT}:user/console is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>denied</RequestId></ErrorResponse>`,
    };
  };
