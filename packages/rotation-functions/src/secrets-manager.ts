// The Secrets Manager calls the rotation makes, with errors turned into RotationErrors.
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { PasswordPolicy } from './config.ts';
import { RotationError, toRotationError, type Redactor } from './errors.ts';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPENDING = 'AWSPENDING';
export const AWSPREVIOUS = 'AWSPREVIOUS';

const clients = new Map<string, SecretsManagerClient>();

/**
 * A client honouring, in order: an explicit endpoint (the template's SECRETS_MANAGER_ENDPOINT),
 * then the SDK's own AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL, then the regional default.
 * Clients are reused across warm invocations.
 */
export function secretsManagerClient(endpoint: string | undefined): SecretsManagerClient {
  const key = `${endpoint ?? ''}|${process.env.AWS_REGION ?? ''}|${process.env.AWS_ENDPOINT_URL ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = new SecretsManagerClient(endpoint ? { endpoint } : {});
    clients.set(key, client);
  }
  return client;
}

export interface SecretMetadata {
  arn: string;
  /** undefined when Secrets Manager does not report it (never configured). */
  rotationEnabled: boolean | undefined;
  versions: Record<string, string[]>;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ResourceNotFoundException';
}

export class SecretsManagerGateway {
  readonly client: SecretsManagerClient;
  readonly redactor: Redactor;

  constructor(client: SecretsManagerClient, redactor: Redactor) {
    this.client = client;
    this.redactor = redactor;
  }

  async describe(secretId: string): Promise<SecretMetadata> {
    try {
      const out = await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
      return {
        arn: out.ARN ?? secretId,
        rotationEnabled: out.RotationEnabled,
        versions: out.VersionIdsToStages ?? {},
      };
    } catch (error) {
      throw toRotationError(error, `DescribeSecret failed for secret ${secretId}`, this.redactor);
    }
  }

  /** SecretString of a stage (and version, when given); undefined when that version has no value yet. */
  async getSecretString(secretId: string, stage: string, versionId?: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(
        new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, ...(versionId ? { VersionId: versionId } : {}) }),
      );
      if (out.SecretString === undefined) {
        throw new RotationError('secret-format', `the ${stage} version of secret ${secretId} holds binary data, not a SecretString`);
      }
      this.redactor.add(out.SecretString);
      return out.SecretString;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toRotationError(error, `GetSecretValue failed for the ${stage} version of secret ${secretId}`, this.redactor);
    }
  }

  async requireSecretString(secretId: string, stage: string, versionId?: string): Promise<string> {
    const value = await this.getSecretString(secretId, stage, versionId);
    if (value === undefined) {
      throw new RotationError('rotation-state', `secret ${secretId} has no ${stage} value${versionId ? ` for version ${versionId}` : ''}`);
    }
    return value;
  }

  async randomPassword(policy: PasswordPolicy): Promise<string> {
    try {
      const out = await this.client.send(
        new GetRandomPasswordCommand({
          ExcludeCharacters: policy.excludeCharacters,
          PasswordLength: policy.length,
          ExcludeNumbers: policy.excludeNumbers,
          ExcludePunctuation: policy.excludePunctuation,
          ExcludeUppercase: policy.excludeUppercase,
          ExcludeLowercase: policy.excludeLowercase,
          RequireEachIncludedType: policy.requireEachIncludedType,
        }),
      );
      if (!out.RandomPassword) throw new RotationError('internal', 'GetRandomPassword returned no password');
      this.redactor.add(out.RandomPassword);
      return out.RandomPassword;
    } catch (error) {
      throw toRotationError(error, 'GetRandomPassword failed', this.redactor);
    }
  }

  async putPending(secretId: string, token: string, secretString: string, rotationToken: string | undefined): Promise<void> {
    try {
      await this.client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: secretString,
          VersionStages: [AWSPENDING],
          ...(rotationToken ? { RotationToken: rotationToken } : {}),
        }),
      );
    } catch (error) {
      throw toRotationError(error, `PutSecretValue failed for version ${token} of secret ${secretId}`, this.redactor);
    }
  }

  async moveCurrent(secretId: string, toVersion: string, fromVersion: string | undefined): Promise<void> {
    try {
      await this.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: AWSCURRENT,
          MoveToVersionId: toVersion,
          ...(fromVersion ? { RemoveFromVersionId: fromVersion } : {}),
        }),
      );
    } catch (error) {
      throw toRotationError(error, `UpdateSecretVersionStage failed moving AWSCURRENT to version ${toVersion} of secret ${secretId}`, this.redactor);
    }
  }
}
