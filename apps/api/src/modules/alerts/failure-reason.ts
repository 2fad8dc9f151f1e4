import { FIXES, findUnfinishedPending, functionNameOf, readRotationLog, rotationVerdict, type LogEvent } from '@rotation-console/rotation';
import { LOG_EVENTS_READ } from '../../platform/aws-function-logs.ts';
import type { TargetRegistry } from '../../platform/targets/target-registry.ts';
import { runInTarget } from '../../platform/targets/target-scope.ts';
import type { IndexRow } from '../dashboard/index-row.ts';
import { causeOf } from '../rotation/rotation-evidence.ts';
import { outsideText } from './alert-message.ts';

/** The rotation's steps ran before the secret last changed (RotateSecret); the log is read from this long before. */
const LOOKBACK_MS = 60 * 60_000;

export interface FailureReason {
  /** The function's own words on the failure (redacted, cut), or what the console knows without them. */
  reason: string;
  fix: string;
}

export type FailureReasonReader = (row: IndexRow) => Promise<FailureReason>;

/**
 * Why a rotation failed and the fix, as the secret's page says it (rotation-evidence.ts causeOf):
 * from the failing rotation's own invocations in the function's log, read in the secret's account
 * and region. The log is read once per failure (the alert is sent once per rotation).
 */
export const createFailureReasonReader = ({
  targets,
  logs,
}: {
  targets: TargetRegistry;
  logs: (functionName: string, since: Date, max: number) => Promise<LogEvent[]>;
}): FailureReasonReader => {
  return async (row) => {
    const fallback = { reason: `The function\u2019s log shows the rotation failing at ${row.failed_step ?? 'a step'}.`, fix: FIXES.unknown };
    const stages = JSON.parse(row.version_stages) as Record<string, string[]>;
    const versionId = findUnfinishedPending(stages) ?? Object.entries(stages).find(([, s]) => s.includes('AWSCURRENT'))?.[0] ?? null;
    if (!row.lambda_arn || !versionId) return fallback;
    const around = Date.parse(row.last_changed_at ?? row.last_rotated_at ?? '') || Date.now() - 24 * 3_600_000;
    const read = async () => {
      const events = await logs(functionNameOf(row.lambda_arn!), new Date(around - LOOKBACK_MS), LOG_EVENTS_READ);
      const log = readRotationLog(events, { versionId, secretArn: row.arn });
      const verdict = rotationVerdict({ versionId, steps: log.steps, versionStages: stages, settled: true });
      if (verdict.result !== 'failed') return fallback;
      const { fix } = causeOf(verdict, log);
      return { reason: outsideText(verdict.message), fix };
    };
    try {
      const target = await targets.scopeFor(row.arn);
      return await (target ? runInTarget(target, read) : read());
    } catch {
      return fallback;
    }
  };
};
