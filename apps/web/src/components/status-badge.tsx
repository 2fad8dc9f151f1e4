import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { SecretStatus } from '@rotation-console/contracts';
import { secretStatusLabel } from '@rotation-console/contracts/values';

const statusIndicatorType: Record<SecretStatus, StatusIndicatorProps.Type> = {
  healthy: 'success',
  overdue: 'warning',
  pending_or_failed: 'error',
  not_enabled: 'stopped',
  managed: 'info',
};

// Cloudscape's indicator breaks its text anywhere (word-break: break-word), so a narrow column cut
// "failed" in two; the label wraps between words instead.
const WHOLE_WORDS = { wordBreak: 'normal' } as const;

/** A secret's rotation status with the console's icon and wording; a managed secret names its service ("Managed by RDS"). */
export function StatusBadge({ status, owningService }: { status: SecretStatus; owningService: string | null }) {
  return (
    <StatusIndicator type={statusIndicatorType[status]}>
      <span style={WHOLE_WORDS}>{secretStatusLabel(status, owningService)}</span>
    </StatusIndicator>
  );
}
