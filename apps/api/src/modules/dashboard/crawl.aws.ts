import { DescribeSecretCommand, ListSecretsCommand, type DescribeSecretCommandOutput, type SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { toSecretRecord } from '../secrets/secrets.aws.ts';
import type { IndexedSecret } from './index-row.ts';

/** ListSecrets' largest page: the fewest calls for a full pass. */
export const LIST_PAGE_SIZE = 100;

export interface ListedPage {
  secrets: IndexedSecret[];
  nextToken: string | null;
  /** Tries the SDK made (more than one: it retried by itself). */
  attempts: number;
}

export interface PageOptions {
  maxResults?: number;
  /** Per-try timeout of this call instead of the client's AWS_TIMEOUT_MS. */
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

const toSecret = (entry: SecretListEntry | DescribeSecretCommandOutput): IndexedSecret => ({
  ...toSecretRecord(entry),
  deletedDate: entry.DeletedDate ?? null,
});

/** The Secrets Manager calls of the dashboard's index: ListSecrets pages and DescribeSecret. */
export const createIndexSource = (aws: AwsClientFactory) => {
  // The index is of every secret: always the console's own credentials, whichever team's workflow asked for a refresh.
  const client = () => aws.forRegionAsConsole().secretsManager;
  return {
    /** One ListSecrets page of at most 100 (errors translated; throttling comes back retryable). */
    async listPage(nextToken: string | null, options: PageOptions = {}): Promise<ListedPage> {
      const out = await callAws('ListSecrets', () =>
        client().send(new ListSecretsCommand({ MaxResults: options.maxResults ?? LIST_PAGE_SIZE, ...(nextToken ? { NextToken: nextToken } : {}) }), {
          ...(options.timeoutMs ? { requestTimeout: options.timeoutMs } : {}),
          ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
        }),
      );
      return { secrets: (out.SecretList ?? []).map(toSecret), nextToken: out.NextToken || null, attempts: out.$metadata.attempts ?? 1 };
    },

    /** DescribeSecret; null when the secret is gone or scheduled for deletion. */
    async describe(secretId: string): Promise<IndexedSecret | null> {
      try {
        const secret = toSecret(
          await callAws('DescribeSecret', () => client().send(new DescribeSecretCommand({ SecretId: secretId })), `Secret "${secretId}"`),
        );
        return secret.deletedDate ? null : secret;
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },
  };
};
export type IndexSource = ReturnType<typeof createIndexSource>;
