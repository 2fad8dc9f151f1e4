import { preflightCheckTitles, worstVerdict, type PreflightCheck, type PreflightReport, type RotationRequest } from '@rotation-console/contracts';
import type { PreflightSubject } from '@rotation-console/rotation';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { PreflightRunner } from './preflight-runner.ts';
import type { PreflightSubjects } from './preflight-subject.aws.ts';

/**
 * "Will this rotation work?": every check of `runners` on one subject, side by side. A check that
 * throws (AWS refused a read it needs, an emulator lacks an API) answers "cannot tell" with the
 * error's message: the report never leaves a check out, and never claims what it did not see.
 */
export const createPreflightService = ({
  subjects,
  runners,
  logger,
  now = () => new Date(),
}: {
  subjects: PreflightSubjects;
  runners: PreflightRunner[];
  logger: Logger;
  now?: () => Date;
}) => {
  const couldNotRun = (runner: PreflightRunner, error: unknown): PreflightCheck => {
    // AppErrors' messages are written for the operator (AWS's error named, no value); others are logged, not shown.
    if (!(error instanceof AppError)) logger.error({ err: error, check: runner.id }, 'a preflight check failed unexpectedly');
    const reason = error instanceof AppError ? error.message : 'an unexpected error (see the API log)';
    return {
      id: runner.id,
      title: preflightCheckTitles[runner.id],
      verdict: 'unknown',
      summary: `Cannot tell: the check could not read what it needs (${reason}).`,
      findings: [{ verdict: 'unknown', message: `The check could not run: ${reason}`, fix: null }],
      evidence: [],
      method: null,
    };
  };

  const run = async (subject: PreflightSubject): Promise<PreflightReport> => {
    const checks = await Promise.all(runners.map((runner) => runner.run(subject).catch((error: unknown) => couldNotRun(runner, error))));
    return {
      secretArn: subject.secret.arn,
      secretName: subject.secret.name,
      functionArn: subject.fn.arn,
      strategy: subject.strategy,
      checkedAt: now().toISOString(),
      verdict: worstVerdict(checks.map((c) => c.verdict)),
      checks,
    };
  };

  return {
    /** The secret's rotation as configured ("Check rotation" on its page, and after a failed rotation). */
    forSecret: async (secretId: string) => run(await subjects.ofSecret(secretId)),
    /** The wizard's choices before Save. */
    forRequest: async (request: RotationRequest) => run(await subjects.ofRequest(request)),
  };
};
export type PreflightService = ReturnType<typeof createPreflightService>;
