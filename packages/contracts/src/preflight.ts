import { z } from 'zod';
import { RotationStrategy } from './rotation.ts';

/**
 * "Will this rotation work?" (issue 15): checks run with read-only AWS calls before Save, on a
 * secret's page and after a failed rotation. Each check answers with what it read: a verdict
 * without evidence is "unknown" ("cannot tell"), never a guess.
 */

export const PreflightVerdict = z.enum(['pass', 'warning', 'fail', 'unknown']);
export type PreflightVerdict = z.infer<typeof PreflightVerdict>;

export const preflightVerdictLabels: Record<PreflightVerdict, string> = {
  pass: 'Pass',
  warning: 'Warning',
  fail: 'Fail',
  unknown: 'Cannot tell',
};

/** Worst first: a report's verdict is its worst check's. "Cannot tell" ranks above a warning: nothing was seen. */
export const PREFLIGHT_VERDICT_ORDER: readonly PreflightVerdict[] = ['fail', 'unknown', 'warning', 'pass'];

export const PreflightCheckId = z.enum(['network-database', 'network-secrets-manager', 'permissions', 'function', 'database-login']);
export type PreflightCheckId = z.infer<typeof PreflightCheckId>;

export const preflightCheckTitles: Record<PreflightCheckId, string> = {
  'network-database': 'Network to the database',
  'network-secrets-manager': 'Network to Secrets Manager',
  permissions: 'Permissions',
  function: 'The rotation function',
  'database-login': 'The database login',
};

/** One finding of a check: a verdict with what it is about, e.g. "sg-0a1 allows no egress to 10.0.2.15 on 5432". */
export const PreflightFinding = z.object({
  verdict: PreflightVerdict,
  /** What was found, in a sentence naming the resources (ids, ports, actions). */
  message: z.string(),
  /** The fix: a filled-in AWS CLI command or the setting to change; null when nothing is to be done. */
  fix: z.string().nullable(),
});
export type PreflightFinding = z.infer<typeof PreflightFinding>;

export const PreflightCheck = z
  .object({
    id: PreflightCheckId,
    title: z.string(),
    /** The worst of its findings' verdicts. */
    verdict: PreflightVerdict,
    /** One line for the list, e.g. "The database's security group admits the function on 5432." */
    summary: z.string(),
    findings: z.array(PreflightFinding),
    /** What was read to decide, one line each, e.g. "sg-0a1 (lambda-sg) egress: tcp 0-65535 to 0.0.0.0/0". Never a secret value. */
    evidence: z.array(z.string()),
    /** How the verdict was reached when there is more than one way, e.g. "IAM policy simulator" or "statements evaluated by the console". */
    method: z.string().nullable(),
  })
  .meta({ id: 'PreflightCheck' });
export type PreflightCheck = z.infer<typeof PreflightCheck>;

export const PreflightReport = z
  .object({
    secretArn: z.string(),
    secretName: z.string(),
    /** The function checked: the secret's own, the one the wizard chose, or null when the wizard creates a new one (its planned settings are checked). */
    functionArn: z.string().nullable(),
    strategy: RotationStrategy,
    checkedAt: z.iso.datetime({ offset: true }),
    verdict: PreflightVerdict,
    checks: z.array(PreflightCheck),
  })
  .meta({ id: 'PreflightReport' });
export type PreflightReport = z.infer<typeof PreflightReport>;

/** The worst verdict of `verdicts`; "unknown" for none: nothing seen is nothing passed. */
export const worstVerdict = (verdicts: readonly PreflightVerdict[]): PreflightVerdict => PREFLIGHT_VERDICT_ORDER.find((v) => verdicts.includes(v)) ?? 'unknown';
