import {
  DescribeSecretCommand,
  ListSecretsCommand,
  type DescribeSecretCommandOutput,
  type Filter,
  type SecretListEntry,
} from '@aws-sdk/client-secrets-manager';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { createRequestPacer, LIST_SECRETS_PER_SECOND } from '../../platform/targets/request-pacer.ts';
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

/** ListSecrets' filters, as the Secrets list's Refresh asks for the secrets of the page in view. */
export interface ListFilter {
  namePrefix?: string;
  /** Secrets whose `key` tag has one of `values` (AWS matches prefixes: the list checks exactly, in the index). */
  tag?: { key: string; values: string[] };
}

/** ListSecrets takes at most this many values in one filter. */
export const MAX_FILTER_VALUES = 10;

const awsFilters = (filter: ListFilter): Filter[] => {
  const filters: Filter[] = [];
  if (filter.namePrefix) filters.push({ Key: 'name', Values: [filter.namePrefix] });
  // Tag filters are prefix matches, and key and value are matched independently.
  if (filter.tag) filters.push({ Key: 'tag-key', Values: [filter.tag.key] }, { Key: 'tag-value', Values: filter.tag.values });
  return filters;
};

export interface PageOptions {
  maxResults?: number;
  /** Only the secrets these filters match (the crawl lists every secret). */
  filter?: ListFilter;
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
  // The crawl, a Refresh and a picker list in the same targets: one pace for all of them.
  const listPace = createRequestPacer({ perSecond: LIST_SECRETS_PER_SECOND });
  return {
    /** One ListSecrets page of at most 100 (errors translated; throttling comes back retryable). */
    async listPage(nextToken: string | null, options: PageOptions = {}): Promise<ListedPage> {
      const filters = options.filter ? awsFilters(options.filter) : [];
      const input = {
        MaxResults: options.maxResults ?? LIST_PAGE_SIZE,
        ...(nextToken ? { NextToken: nextToken } : {}),
        ...(filters.length > 0 ? { Filters: filters } : {}),
      };
      await listPace.wait(options.abortSignal);
      const out = await callAws('ListSecrets', () =>
        client().send(new ListSecretsCommand(input), {
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
