/**
 * Reads a rotation function's log lines and says which of Secrets Manager's four steps
 * failed, why, and the fix the AWS page suggests for the usual causes. Understands the
 * bundled function's JSON lines and the plain text of AWS's own templates.
 */

export type RotationStepName = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
export type FailureCause = 'network' | 'secrets-manager-endpoint' | 'permissions' | 'authentication' | 'secret-format' | 'unknown';

export interface Diagnosis {
  failedStep: RotationStepName | null;
  cause: FailureCause;
  summary: string | null;
  fix: string;
}

export const FIXES: Record<FailureCause, string> = {
  network:
    'The function must reach the database. Run the rotation function in the database\u2019s VPC (same subnets) and let the database\u2019s security group accept connections from the function\u2019s security group on the database port.',
  'secrets-manager-endpoint':
    'The function must reach the Secrets Manager endpoint. In a VPC without internet access, create a Secrets Manager interface endpoint with private DNS (aws ec2 create-vpc-endpoint ... --service-name com.amazonaws.<region>.secretsmanager --private-dns-enabled), or give the subnets a NAT gateway.',
  permissions:
    'The function\u2019s role is missing a permission. It needs secretsmanager:GetSecretValue, PutSecretValue, DescribeSecret and UpdateSecretVersionStage on the secret, GetRandomPassword, and for multi-user rotation GetSecretValue on the master secret; Secrets Manager needs lambda:InvokeFunction on the function.',
  authentication:
    'The database refused the credentials. Check that the secret\u2019s current password works (single user) or that the master secret\u2019s user may change this user\u2019s password (multi-user).',
  'secret-format':
    'The secret\u2019s value is not in the format the function expects: a JSON object with engine, host, username and password (and masterarn for multi-user rotation). Fix the value with PutSecretValue, then rotate again.',
  unknown: 'Read the function\u2019s log group for the error, fix its cause, clear the unfinished rotation, then rotate again.',
};

const STEP = /\b(createSecret|setSecret|testSecret|finishSecret)\b/;

const CATEGORY_CAUSE: Record<string, FailureCause> = {
  network: 'network',
  authentication: 'authentication',
  'secret-format': 'secret-format',
  permissions: 'permissions',
};

const causeFromText = (text: string): FailureCause => {
  if (
    /secretsmanager\.[a-z0-9-]+\.amazonaws\.com|Secrets Manager endpoint/i.test(text) &&
    /timed? ?out|ETIMEDOUT|ECONNREFUSED|Could not connect|Connect timeout/i.test(text)
  ) {
    return 'secrets-manager-endpoint';
  }
  if (/AccessDenied|not authorized|UnauthorizedOperation|is not authorized to perform/i.test(text)) return 'permissions';
  if (/password authentication failed|Access denied for user|authentication error|Unable to log into database/i.test(text)) return 'authentication';
  if (/timed? ?out|ETIMEDOUT|ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|Could not connect|network error/i.test(text)) return 'network';
  if (/JSON|SecretString|secret format|missing (?:required )?(?:field|key)|not valid json/i.test(text)) return 'secret-format';
  return 'unknown';
};

interface JsonLine {
  message?: string;
  outcome?: string;
  step?: string;
  errorCategory?: string;
  error?: string;
}

const parseJson = (line: string): JsonLine | null => {
  const start = line.indexOf('{');
  if (start < 0) return null;
  try {
    return JSON.parse(line.slice(start)) as JsonLine;
  } catch {
    return null;
  }
};

/**
 * The first failure after the rotation started is the cause: a failed step leaves the
 * secret in a state that makes the later steps fail too.
 */
export const diagnoseRotationFailure = (logLines: readonly string[]): Diagnosis => {
  for (const line of logLines) {
    const json = parseJson(line);
    if (json?.outcome === 'failed' || (json?.errorCategory && json.error)) {
      const failedStep = STEP.exec(json.step ?? '')?.[1] as RotationStepName | undefined;
      const text = json.error ?? json.message ?? line;
      const cause = (json.errorCategory && CATEGORY_CAUSE[json.errorCategory]) || causeFromText(text);
      const refined = cause === 'network' && causeFromText(text) === 'secrets-manager-endpoint' ? 'secrets-manager-endpoint' : cause;
      return { failedStep: failedStep ?? null, cause: refined, summary: text, fix: FIXES[refined] };
    }
  }
  const errorLine = logLines.find((l) => /error|exception|fail|timed? ?out|denied/i.test(l) && !/^(START|END|REPORT) RequestId/.test(l));
  if (!errorLine) return { failedStep: null, cause: 'unknown', summary: null, fix: FIXES.unknown };
  const stepLine = logLines.find((l) => STEP.test(l) && /error|fail|unable|exception/i.test(l)) ?? errorLine;
  const cause = causeFromText(errorLine);
  return { failedStep: (STEP.exec(stepLine)?.[1] as RotationStepName | undefined) ?? null, cause, summary: errorLine.trim(), fix: FIXES[cause] };
};
