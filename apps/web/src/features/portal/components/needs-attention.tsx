import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { AttentionReason, PortalAttention, PortalTeam, TargetRef } from '@rotation-console/contracts';
import { nameColumn, SecretAction } from './secret-cells.tsx';
import { StatusText } from '../../../components/status-text.tsx';
import { targetColumns } from '../../../components/target-columns.tsx';
import { isFleet } from '../../../lib/targets.ts';

const reasonType: Record<AttentionReason, StatusIndicatorProps.Type> = {
  failed: 'error',
  overdue: 'warning',
  unknown: 'warning',
  'rotation-off': 'stopped',
  'due-soon': 'pending',
};

/**
 * The team's secrets that need someone: a failed or pending rotation, overdue, rotation not enabled,
 * due within 7 days; in a console covering several account-regions, with each one's account and region.
 */
export function NeedsAttention({ team, targets }: { team: PortalTeam; targets: readonly TargetRef[] }) {
  const shown = team.needsAttention.length;
  const total = team.counts.needsAttention;
  return (
    <Container
      header={
        <Header
          variant="h2"
          counter={`(${total})`}
          description={
            total > shown
              ? `The ${shown} most urgent of ${total}.`
              : 'Failed rotations first, then overdue, unconfirmed, rotation not enabled, and due within 7 days.'
          }
        >
          Needs attention
        </Header>
      }
      disableContentPaddings={shown > 0}
    >
      {shown === 0 ? (
        <Box textAlign="center" color="inherit">
          <b>Nothing needs attention</b>
          <Box variant="p" color="inherit">
            Every secret of {team.displayName} rotates on schedule, and none is due in the next 7 days.
          </Box>
        </Box>
      ) : (
        <Table
          variant="borderless"
          ariaLabels={{ tableLabel: 'Needs attention' }}
          items={team.needsAttention}
          trackBy="arn"
          wrapLines
          columnDefinitions={[
            nameColumn<PortalAttention>(),
            { id: 'reason', header: 'Why', cell: (item) => <StatusText type={reasonType[item.reason]}>{item.reasonText}</StatusText> },
            ...(isFleet(targets) ? targetColumns<PortalAttention>(targets) : []),
            { id: 'action', header: 'Action', cell: (item) => <SecretAction secret={item} team={team.team} /> },
          ]}
        />
      )}
    </Container>
  );
}
