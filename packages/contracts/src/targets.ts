import { z } from 'zod';
import { AWS_ACCOUNT_ID_PATTERN, AWS_REGION_PATTERN } from './values.ts';

const isoDate = z.iso.datetime({ offset: true });

export const AwsAccountId = z.string().regex(AWS_ACCOUNT_ID_PATTERN, 'must be a 12-digit AWS account id such as 111122223333');
/** A region's name as AWS spells it (us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4). */
export const AwsRegionName = z.string().regex(AWS_REGION_PATTERN, 'must be an AWS region such as us-east-1');
const RoleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN such as arn:aws:iam::111122223333:role/RotationConsoleOperator');

/**
 * The accounts file (ACCOUNTS_CONFIG; see config/accounts.example.json): the account-regions the
 * console covers, each account with the role the console assumes there. An account without
 * `roleArn` is reached with the console's own credentials (its own account).
 */
export const AccountsConfig = z
  .strictObject({
    $comment: z.string().optional(),
    accounts: z
      .array(
        z.strictObject({
          id: AwsAccountId,
          /** What people call the account ("payments-prod"); shown beside its id. */
          name: z.string().trim().min(1).max(64),
          roleArn: RoleArn.optional(),
          regions: z.array(AwsRegionName).min(1, 'must name at least one region').max(40),
        }),
      )
      .min(1, 'must name at least one account')
      .max(1000),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.accounts.forEach((account, i) => {
      if (seen.has(account.id)) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: `account ${account.id} is listed twice` });
      seen.add(account.id);
      const roleAccount = account.roleArn?.split(':')[4];
      if (roleAccount && roleAccount !== account.id)
        ctx.addIssue({ code: 'custom', path: ['accounts', i, 'roleArn'], message: `the role is in account ${roleAccount}, not ${account.id}` });
      if (new Set(account.regions).size !== account.regions.length)
        ctx.addIssue({ code: 'custom', path: ['accounts', i, 'regions'], message: 'lists a region twice' });
    });
  });
export type AccountsConfig = z.infer<typeof AccountsConfig>;

/** One account-region the console covers, as the API shows it (never the role's credentials). */
export const TargetRef = z
  .object({
    accountId: AwsAccountId,
    /** The account's name from the accounts file or AWS Organizations; its id when it has none. */
    accountName: z.string(),
    region: AwsRegionName,
  })
  .meta({ id: 'TargetRef' });
export type TargetRef = z.infer<typeof TargetRef>;

/** How fresh the index is for one target: its last complete crawl, and its error when the last one failed. */
export const TargetFreshness = TargetRef.extend({
  /** 'crawling': a crawl of it runs now; 'failed': its last crawl failed (see error); 'ready'; 'empty': never crawled yet. */
  state: z.enum(['empty', 'crawling', 'ready', 'failed']),
  /** When its last complete crawl finished (its last success). */
  indexedAt: isoDate.nullable(),
  secretsIndexed: z.number().int(),
  /** Why its last crawl failed (AccessDenied, a region not enabled, a role that cannot be assumed); null after a success. */
  error: z.string().nullable(),
  errorAt: isoDate.nullable(),
}).meta({ id: 'TargetFreshness' });
export type TargetFreshness = z.infer<typeof TargetFreshness>;
