import type { PreflightCheck, PreflightCheckId } from '@rotation-console/contracts';
import type { PreflightSubject } from '@rotation-console/rotation';

/**
 * One preflight check as the service runs it: read-only AWS calls in the secret's own account and
 * region (the request's target scope), then the verdicts of packages/rotation/src/preflight. A
 * runner that cannot read what it needs answers "unknown" with what it could not read; one that
 * throws is reported "unknown" by the service, with the error's message.
 */
export interface PreflightRunner {
  id: PreflightCheckId;
  run(subject: PreflightSubject): Promise<PreflightCheck>;
}
