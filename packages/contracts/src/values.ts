// The contracts' fixed lists and wording as plain values, with no zod: the web app's landing page
// (the dashboard) reads them without loading the schemas. The schemas build their enums from these.

/** A secret's rotation status, derived in packages/rotation from what AWS reports. */
export const SECRET_STATUSES = ['healthy', 'unknown', 'overdue', 'pending_or_failed', 'not_enabled', 'managed'] as const;
type SecretStatusValue = (typeof SECRET_STATUSES)[number];

/** Console wording for each status. */
export const secretStatusLabels: Record<SecretStatusValue, string> = {
  healthy: 'Healthy',
  unknown: 'Last rotation unknown',
  overdue: 'Overdue',
  pending_or_failed: 'Rotation pending or failed',
  not_enabled: 'Rotation not enabled',
  managed: 'Managed by another service',
};

/** AWS's OwningService ids (lowercase, as ListSecrets gives them) and the names the AWS console gives those services. */
const owningServiceNames: Record<string, string> = {
  rds: 'RDS',
  redshift: 'Redshift',
};

/** "rds" → "RDS": the service that manages a secret, in words; an id not known here as AWS gave it. */
export const owningServiceName = (owningService: string): string => owningServiceNames[owningService.toLowerCase()] ?? owningService;

/** A managed secret's status in words, naming its service ("Managed by RDS"); the other statuses as secretStatusLabels says. */
export const secretStatusLabel = (status: SecretStatusValue, owningService: string | null): string =>
  status === 'managed' && owningService ? `Managed by ${owningServiceName(owningService)}` : secretStatusLabels[status];

export const isSecretStatus = (value: unknown): value is SecretStatusValue => SECRET_STATUSES.includes(value as SecretStatusValue);

/** The columns the dashboard list sorts by. */
export const DASHBOARD_SORTS = ['name', 'status', 'team', 'engine', 'lastRotatedDate', 'nextRotationDate'] as const;
type DashboardSortValue = (typeof DASHBOARD_SORTS)[number];

export const isDashboardSort = (value: unknown): value is DashboardSortValue => DASHBOARD_SORTS.includes(value as DashboardSortValue);

/** A 12-digit AWS account id (111122223333): the account filter of the lists, and the accounts file's ids. */
export const AWS_ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** A region's name as AWS spells it (us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4). */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export const isAwsAccountId = (value: unknown): value is string => typeof value === 'string' && AWS_ACCOUNT_ID_PATTERN.test(value);
export const isAwsRegionName = (value: unknown): value is string => typeof value === 'string' && AWS_REGION_PATTERN.test(value);

/** The most rows one page of the dashboard list holds. */
export const DASHBOARD_MAX_PAGE = 100;

/** Every error code the API answers with (ErrorBody in errors.ts). */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'not_allowed',
  'unauthenticated',
  'conflict',
  /** A cookie-session request without the CSRF token of GET /api/v1/csrf-token (or with a wrong one). */
  'csrf_rejected',
  /** Too many sign-in attempts from one address; Retry-After says when to try again. */
  'rate_limited',
  /** The request body is larger than the API accepts. */
  'too_large',
  /** The request's Host is not this console's (PUBLIC_URL, or 127.0.0.1/localhost on the port it came in on): 421. */
  'misdirected_request',
  'upstream_error',
  'upstream_unavailable',
  'upstream_timeout',
  'internal',
] as const;
