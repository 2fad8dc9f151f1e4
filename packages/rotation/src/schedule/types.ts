import type { RotationStrategy } from '@rotation-console/contracts';

/**
 * RotateSecret's RotationRules, as AWS takes them (and as DescribeSecret returns them:
 * there AutomaticallyAfterDays is also filled in, computed from the ScheduleExpression).
 * Structurally the same as plan.ts's AwsRotationRules.
 */
export interface ScheduleRules {
  AutomaticallyAfterDays?: number;
  ScheduleExpression?: string;
  Duration?: string;
}

/** What the operator chose under "Rotation schedule". */
export type ScheduleChoice = { kind: 'days'; days: number } | { kind: 'expression'; expression: string };

export interface ScheduleRequest {
  schedule: ScheduleChoice;
  /** "Window duration", e.g. "3h". Unset (or empty): AWS's default window. */
  duration?: string;
}

export type ScheduleValidation = { ok: true; rules: ScheduleRules } | { ok: false; errors: string[] };

/** One rotation window, in UTC: Secrets Manager rotates at some time between start and end. */
export interface ScheduleWindow {
  start: Date;
  end: Date;
}

export interface ComplianceAdviceInput {
  /** The rotation interval in days (may be fractional, e.g. from intervalDays for rate(12 hours)). */
  days?: number;
  strategy?: RotationStrategy;
}
