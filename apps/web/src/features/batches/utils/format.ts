import type { BatchPreflightSummary, BatchRefusalReason, BatchSecretPlan } from '@rotation-console/contracts';
import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import { formatDateTime } from '../../../lib/format-date.ts';

export const refusalLabels: Record<BatchRefusalReason, string> = {
  'not-allowed': 'Not yours to change',
  'not-found': 'Not found',
  'in-progress': 'Rotation in progress',
  'preflight-failed': 'Preflight failed',
  'not-applicable': 'Does not apply',
};

export const preflightStatus: Record<BatchPreflightSummary['verdict'], { type: StatusIndicatorProps.Type; label: string }> = {
  pass: { type: 'success', label: 'Passed' },
  warning: { type: 'warning', label: 'Warnings' },
  fail: { type: 'error', label: 'Failed' },
  unknown: { type: 'info', label: 'Cannot tell' },
};

/** When a secret of the plan starts: its own schedule (enable), its offset (rotate now), or at once. */
export const startText = (secret: Pick<BatchSecretPlan, 'schedule' | 'startOffsetSeconds'>): string => {
  if (secret.schedule) {
    const next = secret.schedule.nextWindow ? `; next window ${formatDateTime(secret.schedule.nextWindow.start)}` : '';
    return `${secret.schedule.scheduleExpression ?? secret.schedule.description}${secret.schedule.duration ? ` in a ${secret.schedule.duration} window` : ''}${next}`;
  }
  if (secret.startOffsetSeconds !== null && secret.startOffsetSeconds > 0) return `${Math.round(secret.startOffsetSeconds)} s after the start`;
  return 'At the start';
};
