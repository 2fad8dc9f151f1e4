import { z } from 'zod';
import { FreezeWarning } from './freeze.ts';
import { IndexFreshness } from './index-freshness.ts';
import { AwsAccountId, AwsRegionName } from './targets.ts';
import { OperationAvailability } from './operations.ts';
import { SECRET_STATUSES } from './values.ts';

/** The four steps of a rotation, as Secrets Manager invokes the function. */
export const RotationStepName = z.enum(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
export type RotationStepName = z.infer<typeof RotationStepName>;

/** A secret's rotation status, derived in packages/rotation from what AWS reports (secretStatusLabels: values.ts). */
export const SecretStatus = z.enum(SECRET_STATUSES);
export type SecretStatus = z.infer<typeof SecretStatus>;

export const Tag = z.object({ key: z.string(), value: z.string() });
export type Tag = z.infer<typeof Tag>;

const isoDate = z.iso.datetime({ offset: true });

export const RotationRules = z.object({
  automaticallyAfterDays: z.number().int().nullable(),
  scheduleExpression: z.string().nullable(),
  duration: z.string().nullable(),
});
export type RotationRules = z.infer<typeof RotationRules>;

export const RotationConfig = z.object({
  enabled: z.boolean(),
  lambdaArn: z.string().nullable(),
  rules: RotationRules.nullable(),
  lastRotatedDate: isoDate.nullable(),
  nextRotationDate: isoDate.nullable(),
});
export type RotationConfig = z.infer<typeof RotationConfig>;

export const SecretSummary = z
  .object({
    name: z.string(),
    arn: z.string(),
    /** Where the secret lives: its account and region (its ARN's). */
    accountId: z.string(),
    region: z.string(),
    description: z.string().nullable(),
    tags: z.array(Tag),
    team: z.string().nullable().meta({ description: 'Value of the team tag (key configurable, default "team").' }),
    owningService: z.string().nullable(),
    createdDate: isoDate.nullable(),
    lastChangedDate: isoDate.nullable(),
    rotation: RotationConfig,
    status: SecretStatus,
    /** The step the function's log shows the last rotation failing at, where the console read it. */
    failedStep: RotationStepName.nullable(),
  })
  .meta({ id: 'SecretSummary' });
export type SecretSummary = z.infer<typeof SecretSummary>;

export const SecretVersion = z.object({
  versionId: z.string(),
  stages: z.array(z.string()),
  createdDate: isoDate.nullable(),
  lastAccessedDate: isoDate.nullable(),
});
export type SecretVersion = z.infer<typeof SecretVersion>;

export const SecretDetail = SecretSummary.extend({
  statusReasons: z.array(z.string()),
  versions: z.array(SecretVersion),
  /** The four operations, in order, each with whether the secret's state allows it and why. */
  operations: z.array(OperationAvailability),
  /** Set where the next rotation window falls in one of the team's freeze windows. */
  freezeWarning: FreezeWarning.nullable().optional(),
}).meta({ id: 'SecretDetail' });
export type SecretDetail = z.infer<typeof SecretDetail>;

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** The characters ListSecrets accepts in a filter value. */
const FILTER_TEXT = /^[A-Za-z0-9 :_@/+=.-]+$/;
const filterText = (field: string) =>
  z
    .string()
    .trim()
    .min(1, `${field} must not be empty`)
    .max(512, `${field} must be at most 512 characters`)
    .regex(FILTER_TEXT, `${field} may contain only A-Z, a-z, 0-9, spaces and : _ @ / + = . - (what ListSecrets accepts)`);

export const ListSecretsQuery = z.strictObject({
  cursor: z.string().max(4096).optional().meta({ description: 'Opaque; the nextCursor of the previous page (a cursor is good for the same filters only).' }),
  limit: z.coerce
    .number()
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
  name: filterText('name').optional().meta({ description: 'Secrets whose name starts with this text (as the AWS console searches).' }),
  status: SecretStatus.optional(),
  team: filterText('team').optional(),
  /** Secrets of this account (its 12-digit id), and of this region. */
  account: AwsAccountId.optional(),
  region: AwsRegionName.optional(),
});
export type ListSecretsQuery = z.infer<typeof ListSecretsQuery>;

/** How fresh a page of the Secrets list is: the index's state, and when it last read these secrets from AWS. */
export const SecretListFreshness = IndexFreshness.extend({
  /**
   * When the index last read from AWS the secrets on this page (the least recently read of them:
   * by the crawl, a refresh, or the console's own change); for an empty page, when the last complete
   * crawl ended; for a page straight from AWS (source 'aws'), the time of this answer.
   */
  seenAt: isoDate.nullable(),
});
export type SecretListFreshness = z.infer<typeof SecretListFreshness>;

export const SecretPage = z
  .object({
    items: z.array(SecretSummary),
    nextCursor: z.string().nullable(),
    freshness: SecretListFreshness,
  })
  .meta({ id: 'SecretPage' });
export type SecretPage = z.infer<typeof SecretPage>;

/**
 * The page of the Secrets list in view (its filters, cursor and size, as GET /secrets takes them),
 * to read again from AWS.
 */
export const SecretRefreshRequest = ListSecretsQuery.meta({ id: 'SecretRefreshRequest' });
export type SecretRefreshRequest = z.infer<typeof SecretRefreshRequest>;

/** A secret id is a name or an ARN, passed to AWS as data, never as a path. */
export const SecretIdParams = z.strictObject({
  secretId: z.string().min(1, 'secretId must not be empty').max(2048, 'secretId must be at most 2048 characters'),
});
