import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { SecretStatus } from '@rotation-console/contracts';
import { secretStatusLabel } from '@rotation-console/contracts/values';
import { StatusText } from './status-text.tsx';

const statusIndicatorType: Record<SecretStatus, StatusIndicatorProps.Type> = {
  healthy: 'success',
  // Not a success: the function's log does not confirm the last rotation.
  unknown: 'warning',
  overdue: 'warning',
  pending_or_failed: 'error',
  not_enabled: 'stopped',
  managed: 'info',
};

/** The status in words ("Managed by RDS"); a failed rotation names the step its function's log shows it failing at. */
export const statusLabel = (status: SecretStatus, owningService: string | null, failedStep: string | null = null): string =>
  status === 'pending_or_failed' && failedStep ? `Rotation failed at ${failedStep}` : secretStatusLabel(status, owningService);

/** A secret's rotation status with the console's icon and wording. */
export function StatusBadge({ status, owningService, failedStep = null }: { status: SecretStatus; owningService: string | null; failedStep?: string | null }) {
  return <StatusText type={statusIndicatorType[status]}>{statusLabel(status, owningService, failedStep)}</StatusText>;
}
