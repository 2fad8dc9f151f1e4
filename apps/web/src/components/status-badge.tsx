import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { SecretStatus } from '@rotation-console/contracts';
import { secretStatusLabel } from '@rotation-console/contracts/values';
import { StatusText } from './status-text.tsx';

const statusIndicatorType: Record<SecretStatus, StatusIndicatorProps.Type> = {
  healthy: 'success',
  overdue: 'warning',
  pending_or_failed: 'error',
  not_enabled: 'stopped',
  managed: 'info',
};

/** A secret's rotation status with the console's icon and wording; a managed secret names its service ("Managed by RDS"). */
export function StatusBadge({ status, owningService }: { status: SecretStatus; owningService: string | null }) {
  return <StatusText type={statusIndicatorType[status]}>{secretStatusLabel(status, owningService)}</StatusText>;
}
