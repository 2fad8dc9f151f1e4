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
  /**
   * What the rotation function's log said of the last rotation (rotationVerdict, recorded once
   * the log was read): the unfinished one (the version with AWSPENDING only) if there is one, else
   * the one that made the AWSCURRENT version. Absent or null when nobody has read it.
   */
  lastRotation?: LastRotationEvidence | null;
}

/** The verdict on one rotation (its token is the version it made), as recorded after reading the function's log. */
export interface LastRotationEvidence {
  versionId: string;
  result: 'rotated' | 'failed' | 'unknown';
  failedStep: string | null;
}

export interface StatusVerdict {
  status: SecretStatus;
  reasons: string[];
  /** The step the function's log shows the rotation failing at, where it was read (lastRotation). */
  failedStep?: string;
}

const DAY_MS = 86_400_000;
/** AWS rotates "on or before" NextRotationDate; allow it an hour of lag before calling it overdue. */
export const OVERDUE_GRACE_MS = 60 * 60 * 1000;
/** A rotation normally ends within seconds; an AWSPENDING older than this has most likely failed. */
export const STUCK_AFTER_MS = 15 * 60 * 1000;

/** The version AWSCURRENT is on: the one the last rotation made, if a rotation made it. */
export const findCurrentVersion = (versionStages: RotationFacts['versionStages']): string | null =>
  Object.entries(versionStages).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0] ?? null;

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
    const failed = facts.lastRotation?.versionId === pending && facts.lastRotation.result === 'failed' ? facts.lastRotation.failedStep : null;
    if (failed) {
      return {
        status: 'pending_or_failed',
        failedStep: failed,
        reasons: [`The function\u2019s log shows the rotation of version ${pending} failed at ${failed}.`, ...reasons],
      };
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
  const last = `Last rotated ${formatDateTime(facts.lastRotatedDate)}${due ? `; next rotation due by ${formatDateTime(due)}` : ''}.`;
  // Healthy only on evidence: the function's log showed all four steps of the rotation that made
  // the current version (packages/rotation verdict.ts). AWS's dates and labels alone do not say it worked.
  const current = findCurrentVersion(facts.versionStages);
  const evidence = facts.lastRotation && facts.lastRotation.versionId === current ? facts.lastRotation : null;
  if (evidence?.result === 'rotated')
    return { status: 'healthy', reasons: [last, 'The function\u2019s log shows all four steps of that rotation succeeding.'] };
  if (evidence?.result === 'failed') {
    return {
      status: 'pending_or_failed',
      ...(evidence.failedStep ? { failedStep: evidence.failedStep } : {}),
      reasons: [
        last,
        `The function\u2019s log shows that rotation failed at ${evidence.failedStep ?? 'a step'}, though version ${current} is AWSCURRENT: the database may not have the password the secret holds.`,
      ],
    };
  }
  return {
    status: 'unknown',
    reasons: [
      last,
      evidence
        ? `Whether that rotation worked is unknown \u2014 the function\u2019s logs do not say (version ${current}).`
        : `Whether that rotation worked is unknown: the function\u2019s log has not shown all four steps of version ${current} (yet).`,
    ],
  };
};
