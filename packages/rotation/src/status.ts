import type { SecretStatus } from '@rotation-console/contracts';
import { formatDateTime } from '@rotation-console/contracts/format-date';
import { owningServiceName } from '@rotation-console/contracts/values';

/** What AWS tells about a secret's rotation, from ListSecrets or DescribeSecret. */
export interface RotationFacts {
  owningService: string | null;
  rotationEnabled: boolean;
  automaticallyAfterDays: number | null;
  lastRotatedDate: Date | null;
  nextRotationDate: Date | null;
  /** Version id -> staging labels. */
  versionStages: Record<string, readonly string[]>;
  /** Version id -> created date, where known (DescribeSecret's caller adds ListSecretVersionIds). */
  versionCreated?: Record<string, Date | null>;
}

export interface StatusVerdict {
  status: SecretStatus;
  reasons: string[];
}

const DAY_MS = 86_400_000;
/** AWS rotates "on or before" NextRotationDate; allow it an hour of lag before calling it overdue. */
export const OVERDUE_GRACE_MS = 60 * 60 * 1000;
/** A rotation normally ends within seconds; an AWSPENDING older than this has most likely failed. */
export const STUCK_AFTER_MS = 15 * 60 * 1000;

/** The version carrying AWSPENDING while another carries AWSCURRENT: an unfinished rotation. */
export const findUnfinishedPending = (versionStages: RotationFacts['versionStages']): string | null => {
  for (const [versionId, stages] of Object.entries(versionStages)) {
    if (stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT')) return versionId;
  }
  return null;
};

/** When the next rotation is due: AWS's NextRotationDate, or last rotation plus the interval. */
export const dueDate = (facts: RotationFacts): Date | null => {
  if (facts.nextRotationDate) return facts.nextRotationDate;
  if (facts.lastRotatedDate && facts.automaticallyAfterDays) {
    return new Date(facts.lastRotatedDate.getTime() + facts.automaticallyAfterDays * DAY_MS);
  }
  return null;
};

/**
 * Derives a secret's rotation status. Order matters: a secret another service
 * manages is that service's business; an unfinished rotation blocks the next one
 * whether or not rotation is on; only then do schedule questions arise.
 */
export const deriveStatus = (facts: RotationFacts, now: Date): StatusVerdict => {
  if (facts.owningService) {
    return {
      status: 'managed',
      reasons: [`Rotation is managed by ${owningServiceName(facts.owningService)}; change it there, not in Secrets Manager.`],
    };
  }

  const pending = findUnfinishedPending(facts.versionStages);
  if (pending) {
    const created = facts.versionCreated?.[pending] ?? null;
    const age = created ? now.getTime() - created.getTime() : null;
    const reasons = [
      `Version ${pending} has AWSPENDING but not AWSCURRENT: the last rotation did not finish, and Secrets Manager refuses to start another until it is cleared.`,
    ];
    if (created && age !== null) {
      reasons.push(
        age > STUCK_AFTER_MS
          ? `It was created ${formatDateTime(created)}, more than ${STUCK_AFTER_MS / 60_000} minutes ago: the rotation has most likely failed. Check the rotation function's log group.`
          : `It was created ${formatDateTime(created)}: a rotation may still be running.`,
      );
    }
    return { status: 'pending_or_failed', reasons };
  }

  if (!facts.rotationEnabled) {
    return { status: 'not_enabled', reasons: ['Automatic rotation is not enabled for this secret.'] };
  }

  const due = dueDate(facts);
  if (due && now.getTime() > due.getTime() + OVERDUE_GRACE_MS) {
    return {
      status: 'overdue',
      reasons: [`The next rotation was due by ${formatDateTime(due)} and has not happened.`],
    };
  }
  if (!facts.lastRotatedDate) {
    return { status: 'healthy', reasons: ['Rotation is enabled; no rotation has been recorded yet.'] };
  }
  return {
    status: 'healthy',
    reasons: [
      `Last rotated ${formatDateTime(facts.lastRotatedDate)}${due ? `; next rotation due by ${formatDateTime(due)}` : ''}.`,
    ],
  };
};
