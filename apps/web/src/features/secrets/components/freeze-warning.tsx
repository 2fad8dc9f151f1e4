import Alert from '@cloudscape-design/components/alert';
import type { FreezeWarning } from '@rotation-console/contracts';

/**
 * The secret's next rotation falls in one of its team's freeze windows: Secrets Manager rotates on its
 * own schedule and the console cannot hold it back, so the page says so, with what can be done.
 */
export function FreezeWarningAlert({ warning }: { warning: FreezeWarning }) {
  return (
    <Alert type="warning" header="Next rotation falls in a freeze window">
      {warning.message} Secrets Manager rotates on its own schedule; to keep the window clear, change the schedule or rotate the secret before the window opens.
    </Alert>
  );
}
