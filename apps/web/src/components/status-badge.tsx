import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { SecretStatus } from '@rotation-console/contracts';
import { secretStatusLabels } from '@rotation-console/contracts/values';

const statusIndicatorType: Record<SecretStatus, StatusIndicatorProps.Type> = {
  healthy: 'success',
  // Not a success: the function's log does not confirm the last rotation.
  unknown: 'warning',
  overdue: 'warning',
  pending_or_failed: 'error',
  not_enabled: 'stopped',
  managed: 'info',
};

/** The status in words; a failed rotation names the step its function's log shows it failing at. */
export const statusLabel = (status: SecretStatus, owningService: string | null, failedStep: string | null = null): string =>
  status === 'managed' && owningService
    ? `Managed by ${owningService}`
    : status === 'pending_or_failed' && failedStep
      ? `Rotation failed at ${failedStep}`
      : secretStatusLabels[status];

// Cloudscape's indicator breaks its text anywhere (word-break: break-word), so a narrow column cut
// "failed" in two; the label wraps between words instead.
const WHOLE_WORDS = { wordBreak: 'normal' } as const;

/** A secret's rotation status with the console's icon and wording. */
export function StatusBadge({ status, owningService = null, failedStep = null }: { status: SecretStatus; owningService?: string | null; failedStep?: string | null }) {
  return (
    <StatusIndicator type={statusIndicatorType[status]}>
      <span style={WHOLE_WORDS}>{statusLabel(status, owningService, failedStep)}</span>
    </StatusIndicator>
  );
}
