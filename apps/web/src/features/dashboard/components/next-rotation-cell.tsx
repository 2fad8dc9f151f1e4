import Box from '@cloudscape-design/components/box';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { DashboardRow } from '@rotation-console/contracts';
import { formatDateTime } from '../../../lib/format-date.ts';
import { UserText } from '../../../components/user-text.tsx';

/** The "Next rotation" cell: the date, and where it falls in the team's freeze window, a warning naming it (its times in the title). */
export function NextRotationCell({ row }: { row: DashboardRow }) {
  const date = formatDateTime(row.nextRotationDate);
  if (!row.freezeWarning) return date;
  return (
    <Box>
      {date}
      <br />
      <span title={row.freezeWarning.message}>
        <StatusIndicator type="warning">
          In freeze window <UserText text={row.freezeWarning.windowName} />
        </StatusIndicator>
      </span>
    </Box>
  );
}
