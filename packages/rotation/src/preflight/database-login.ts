import { strategyLabels, worstVerdict, type PreflightCheck, type PreflightFinding, type PreflightVerdict } from '@rotation-console/contracts';
import { finding, preflightCheck, type PreflightSubject } from './subject.ts';

/**
 * The "database-login" preflight check: the console invokes its own rotation function with a
 * preflight event, and the function, from inside its VPC, reads the secret, logs in with
 * AWSCURRENT (and the master, for multi-user rotation) and reads the privileges the strategy
 * needs, changing nothing (packages/rotation-functions, src/preflight.ts). This file turns its
 * answer, or how the invocation failed, into findings. Pure: the runner invokes.
 */

/** The event the console's function answers; it has no Step and no ClientRequestToken, so it is never a rotation step. */
export const databaseLoginEvent = (secretArn: string) => ({ Preflight: 'database-login', SecretId: secretArn }) as const;

/** What the function checks, in its order (packages/rotation-functions PREFLIGHT_CHECKS; a test keeps the two equal). */
export const DATABASE_LOGIN_CHECKS = ['secret', 'login', 'master-secret', 'master-login', 'privilege'] as const;
export type DatabaseLoginCheckName = (typeof DATABASE_LOGIN_CHECKS)[number];

/** One verdict of the function's answer: names, hosts, ports and ARNs, never a value. */
export interface DatabaseLoginVerdict {
  check: DatabaseLoginCheckName;
  verdict: PreflightVerdict;
  message: string;
  category?: string;
  fix?: string;
}

export interface DatabaseLoginAnswer {
  preflight: 'database-login';
  strategy: string;
  verdicts: DatabaseLoginVerdict[];
}

/** How the invocation went: the function answered, the function failed (its error, or Lambda's timeout), or Lambda refused the call. */
export type DatabaseLoginInvocation =
  | { kind: 'answered'; payload: unknown }
  | { kind: 'function-error'; errorType: string | null; errorMessage: string | null }
  | { kind: 'invoke-failed'; message: string };

const VERDICTS: readonly string[] = ['pass', 'warning', 'fail', 'unknown'];

const isVerdict = (v: unknown): v is DatabaseLoginVerdict => {
  const o = v as Partial<Record<keyof DatabaseLoginVerdict, unknown>> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    (DATABASE_LOGIN_CHECKS as readonly unknown[]).includes(o.check) &&
    VERDICTS.includes(o.verdict as string) &&
    typeof o.message === 'string' &&
    (o.category === undefined || typeof o.category === 'string') &&
    (o.fix === undefined || typeof o.fix === 'string')
  );
};

/** The function's answer, when the payload is one. */
export const parseDatabaseLoginAnswer = (payload: unknown): DatabaseLoginAnswer | null => {
  const o = payload as { preflight?: unknown; strategy?: unknown; verdicts?: unknown } | null;
  if (typeof o !== 'object' || o === null || o.preflight !== 'database-login' || !Array.isArray(o.verdicts) || o.verdicts.length === 0) return null;
  if (!o.verdicts.every(isVerdict)) return null;
  return { preflight: 'database-login', strategy: typeof o.strategy === 'string' ? o.strategy : '', verdicts: o.verdicts };
};

const METHOD = "Invoked the console's own rotation function with a preflight event (RequestResponse); it checked from its VPC and changed nothing";

const checkOf = (subject: PreflightSubject, summary: string, findings: PreflightFinding[], evidence: string[] = []) =>
  preflightCheck('database-login', { summary, findings, evidence, method: METHOD });

/** The check when the function cannot be asked: not the console's own, or not created yet. Null when it can. */
export const databaseLoginWithoutInvocation = (subject: PreflightSubject): PreflightCheck | null => {
  if (subject.fn.arn === null) {
    const message = `${subject.fn.name} does not exist yet: the database login is checked through it once the wizard has created it.`;
    return checkOf(subject, message, [finding('unknown', message)]);
  }
  if (!subject.fn.consoles) {
    const message = `Only the console's own function answers a preflight event, and ${subject.fn.name} is not the console's: the database login cannot be checked from its VPC.`;
    return checkOf(subject, message, [finding('unknown', message)]);
  }
  return null;
};

/** Whether the answer says the function's role may not read the secret: then the runner asks which function the secret names (DescribeSecret). */
export const secretReadDenied = (invocation: DatabaseLoginInvocation): boolean => {
  if (invocation.kind !== 'answered') return false;
  const secret = parseDatabaseLoginAnswer(invocation.payload)?.verdicts.find((v) => v.check === 'secret');
  return secret?.verdict === 'fail' && secret.category === 'permissions';
};

const LABELS: Record<DatabaseLoginCheckName, string> = {
  secret: 'AWSCURRENT',
  login: 'Login with AWSCURRENT',
  'master-secret': 'Master secret',
  'master-login': 'Login as the master',
  privilege: 'Privileges',
};

const NETWORK_FIX =
  "Let the function reach the database: the database's security group must admit the function's security groups on the database's port (see Network to the database).";

/** The fix of a verdict the function gave none for, by what failed and why. */
const fixFor = (subject: PreflightSubject, v: DatabaseLoginVerdict): string | null => {
  if (v.fix) return v.fix;
  if (v.verdict === 'pass') return null;
  const role = subject.fn.roleArn ?? "the function's role";
  switch (`${v.check}/${v.category ?? ''}`) {
    case 'secret/permissions':
      return `Let ${role} read ${subject.secret.arn}: secretsmanager:GetSecretValue${subject.secret.kmsKeyId ? ` and kms:Decrypt on ${subject.secret.kmsKeyId}` : ''}.`;
    case 'secret/secret-format':
      return "Correct the secret's value: the message names the key at fault (engine, host, username, password, port, masterarn).";
    case 'login/network':
    case 'master-login/network':
      return NETWORK_FIX;
    case 'login/authentication':
      return "AWSCURRENT's password is not the database user's: set the user's password to the secret's, or put the working one in the secret.";
    case 'master-secret/permissions':
      return `Let ${role} read the master secret ${subject.database?.masterSecretArn ?? ''} (secretsmanager:GetSecretValue, and kms:Decrypt on its key): the console adds this when Multi-user rotation is saved.`;
    case 'master-secret/secret-format':
      return 'Correct the master secret: it must name the same engine, host and port as the secret.';
    case 'master-login/authentication':
      return "The master secret's password is not the database's: correct the master secret.";
    default:
      return null;
  }
};

/** A "cannot read the secret" from a function the secret does not name yet says nothing: its role reads only the secrets it rotates. */
const notYetRotating = (subject: PreflightSubject, v: DatabaseLoginVerdict, rotationFunctionArn: string | null | undefined): PreflightFinding | null => {
  if (v.check !== 'secret' || v.category !== 'permissions' || rotationFunctionArn === undefined || rotationFunctionArn === subject.fn.arn) return null;
  return finding(
    'unknown',
    `${subject.fn.name} may read only the secrets it rotates (its role's condition on secretsmanager:resource/AllowRotationLambdaArn), and ${subject.secret.name} ${rotationFunctionArn ? `is rotated by ${rotationFunctionArn}` : 'has no rotation function yet'}: its database login can be checked once rotation is turned on with ${subject.fn.name}.`,
  );
};

const TIMED_OUT = /Task timed out after/i;
const PREDATES = /invalid rotation event/i;

/**
 * The check from the invocation; `rotationFunctionArn` is the secret's RotationLambdaARN when
 * secretReadDenied asked for it (null: none), undefined when it was not read.
 */
export const evaluateDatabaseLogin = (
  subject: PreflightSubject,
  invocation: DatabaseLoginInvocation,
  { rotationFunctionArn }: { rotationFunctionArn?: string | null } = {},
): PreflightCheck => {
  const fn = subject.fn.name;
  const invoked = `Invoked ${subject.fn.arn} with {"Preflight":"database-login","SecretId":"${subject.secret.arn}"}`;
  if (invocation.kind === 'invoke-failed') {
    const message = `The console could not invoke ${fn}, so the database login was not checked: ${invocation.message}`;
    return checkOf(subject, message, [finding('unknown', message)], [invoked]);
  }
  if (invocation.kind === 'function-error') {
    const error = [invocation.errorType, invocation.errorMessage].filter(Boolean).join(': ') || 'no error message';
    let f: PreflightFinding;
    if (invocation.errorType === 'Sandbox.Timedout' || TIMED_OUT.test(invocation.errorMessage ?? '')) {
      f = finding(
        'fail',
        `${fn} timed out${subject.fn.timeoutSeconds ? ` after ${subject.fn.timeoutSeconds} s` : ''} answering the preflight: from its VPC it reached neither Secrets Manager nor the database in time, the classic sign of a missing network path.`,
        'See Network to Secrets Manager (an interface endpoint or a NAT route) and Network to the database (a security-group rule on its port), then run the preflight again.',
      );
    } else if (PREDATES.test(invocation.errorMessage ?? '')) {
      f = finding(
        'unknown',
        `${fn} runs code older than the preflight event (it answered "${error}"), so it cannot check the database login.`,
        'Update it from the Functions page.',
      );
    } else {
      f = finding('fail', `${fn} failed answering the preflight: ${error}.`, `See the function's log, /aws/lambda/${fn}.`);
    }
    return checkOf(subject, f.message, [f], [invoked, `Function error: ${error}`]);
  }
  const answer = parseDatabaseLoginAnswer(invocation.payload);
  if (!answer) {
    const message = `${fn} answered the preflight without verdicts, so the database login cannot be told.`;
    return checkOf(subject, message, [finding('unknown', message)], [invoked]);
  }
  const findings = answer.verdicts.map(
    (v) => notYetRotating(subject, v, rotationFunctionArn) ?? finding(v.verdict, `${LABELS[v.check]}: ${v.message}.`, fixFor(subject, v)),
  );
  if (answer.strategy && answer.strategy !== subject.strategy) {
    findings.push(
      finding(
        'warning',
        `${fn} is set up for ${answer.strategy} (its ROTATION_STRATEGY) while this rotation is ${subject.strategy}: it checked the privileges of ${answer.strategy}.`,
      ),
    );
  }
  const worst = worstVerdict(findings.map((f) => f.verdict));
  const summary =
    worst === 'pass'
      ? `From its VPC, ${fn} logged in with AWSCURRENT and holds the privileges ${strategyLabels[subject.strategy]} needs.`
      : findings.find((f) => f.verdict === worst)!.message;
  return checkOf(subject, summary, findings, [invoked, ...answer.verdicts.map((v) => `${v.check}: ${v.verdict}${v.category ? ` (${v.category})` : ''}`)]);
};
