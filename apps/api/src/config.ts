import { AwsRegionName } from '@rotation-console/contracts';
import { z } from 'zod';
import { checkIdentityConfig, identityConfigShape } from './platform/identity/identity-config.ts';

const optionalUrl = z
  .url({ message: 'must be a URL such as http://127.0.0.1:5000' })
  .optional()
  .or(z.literal('').transform(() => undefined));

/** Environment the API reads at boot. A bad value stops the process with the names of the bad keys. */
export const ConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    /** Set for LocalStack or moto; unset means real AWS through the default credential chain. */
    AWS_ENDPOINT_URL: optionalUrl,
    /** Per-attempt timeout of an AWS call; with AWS_MAX_ATTEMPTS it bounds how long a request can wait on AWS. */
    AWS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(4000),
    AWS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(2),
    TEAM_TAG_KEY: z.string().min(1).max(128).default('team'),
    /** The teams' settings file (portal defaults, schedule limits, IAM roles); see config/teams.json. Unset or missing: no team settings. */
    TEAMS_CONFIG: z.string().optional(),
    /** The accounts file: the accounts and regions the console covers and the role it assumes in each (docs/fleet.md). Unset: see ORGANIZATION_ROLE_NAME. */
    ACCOUNTS_CONFIG: z.string().optional(),
    /** Cover every active account of the organization (ListAccounts), through the role of this name in each member account. Unset: the console's own account only. */
    ORGANIZATION_ROLE_NAME: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name such as RotationConsoleOperator')
      .optional(),
    /** The regions covered without an accounts file, comma-separated (us-east-1,eu-west-1); default: AWS_REGION. */
    FLEET_REGIONS: z
      .string()
      .optional()
      .transform((value) =>
        value
          ? value
              .split(',')
              .map((r) => r.trim())
              .filter(Boolean)
          : undefined,
      )
      .pipe(z.array(AwsRegionName).min(1, 'must name at least one region').optional()),
    /** How many targets (account-regions) the crawl lists at once; each target's own calls stay one at a time. */
    INDEX_TARGETS_AT_ONCE: z.coerce.number().int().min(1).max(32).default(4),
    /** A target's crawl lease: of several API processes one crawls each target; this long after its crawler died, another takes it over. */
    INDEX_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
    /** The tag naming a secret's database engine, for the dashboard's coverage by engine. */
    ENGINE_TAG_KEY: z.string().min(1).max(128).default('engine'),
    /** How long the dashboard's index waits after one crawl of ListSecrets before the next (a full pass, mark and sweep). */
    INDEX_REFRESH_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
    /** Folder of the built web app to serve on the same port; unset serves the API alone. */
    WEB_DIST: z.string().optional(),
    /**
     * How "Create a new Lambda function" deploys: AWS's templates from the Serverless
     * Application Repository, or the bundled template through CloudFormation. `auto`
     * asks the repository once and falls back to the bundled template where it is missing.
     */
    FUNCTION_SOURCE: z.enum(['auto', 'serverless-application-repository', 'bundled-template']).default('auto'),
    /**
     * A bucket of the operator's own for the bundled function's code, used as it is (it must
     * exist in the console's account). Unset: rotation-console-<account>-<region>, which the
     * console creates and locks down.
     */
    ARTIFACT_BUCKET: z.string().min(3).max(63).optional(),
    /** PostgreSQL for the console's own state (several API processes may share it); unset: SQLite in DATA_DIR. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    DATA_DIR: z.string().min(1).default('.data'),
    /** How often workflow steps look again at a stack, a function update or a rotation. */
    WORKFLOW_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(2000),
    /** How long a step waits for a stack, a function update or the first rotation. */
    WORKFLOW_WAIT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(600_000),
    /** A workflow's lease; another API process resumes it this long after its runner died. */
    WORKFLOW_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    /** Backoff of a retried step: first delay, and how many tries in all. */
    WORKFLOW_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
    WORKFLOW_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
    /**
     * Workflows one API process runs at once (more wait in its queue). A batch makes one workflow per
     * secret; RotateSecret is paced at 50 a second per account-region whatever this is.
     */
    WORKFLOW_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    /**
     * Express's `trust proxy`: which hops' X-Forwarded-For to believe for the client address
     * (rate limits, the audit log's source IP). `false` (default): the socket's address;
     * a number of proxies in front, or addresses/subnets such as `loopback, 10.0.0.0/8`.
     */
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((value): boolean | number | string => (value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value)),
    /** Largest JSON body the API reads; larger ones get 413. */
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(102_400),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Identity: AUTH_MODE (local|oidc), OIDC_*, PUBLIC_URL, SESSION_*, ROLE_CLAIM, ROLE_MAPPING, LOGIN_RATE_* (platform/identity/identity-config.ts). */
    ...identityConfigShape,
  })
  .superRefine(checkIdentityConfig)
  .superRefine((config, ctx) => {
    if (config.ACCOUNTS_CONFIG && config.ORGANIZATION_ROLE_NAME)
      ctx.addIssue({ code: 'custom', path: ['ORGANIZATION_ROLE_NAME'], message: 'set ACCOUNTS_CONFIG or ORGANIZATION_ROLE_NAME, not both' });
    if (config.ACCOUNTS_CONFIG && config.FLEET_REGIONS)
      ctx.addIssue({ code: 'custom', path: ['FLEET_REGIONS'], message: "the accounts file names each account's regions; unset FLEET_REGIONS" });
  });
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  readonly keys: string[];
  constructor(keys: string[], message: string) {
    super(message);
    this.name = 'ConfigError';
    this.keys = keys;
  }
}

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const keys = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
  throw new ConfigError(keys, `Invalid environment: ${problems.join('; ')}`);
};
