import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { Batch, BatchItem, BatchStatus } from '@rotation-console/contracts';
import { StatusText } from '../../../components/status-text.tsx';
import { UserText } from '../../../components/user-text.tsx';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { secretPath, workflowPath } from '../../../lib/paths.ts';
import { refusalLabels, startText } from '../utils/format.ts';

export const BATCH_STATUS: Record<BatchStatus, { type: StatusIndicatorProps.Type; label: string }> = {
  pending: { type: 'pending', label: 'Pending' },
  running: { type: 'in-progress', label: 'Running' },
  succeeded: { type: 'success', label: 'Succeeded' },
  failed: { type: 'error', label: 'Failed' },
  cancelled: { type: 'stopped', label: 'Cancelled' },
};

const ITEM_STATUS: Record<BatchItem['status'], { type: StatusIndicatorProps.Type; label: string }> = {
  ...BATCH_STATUS,
  refused: { type: 'stopped', label: 'Refused' },
};

function SecretLink({ item }: { item: BatchItem }) {
  const follow = useFollow();
  return (
    <Link href={secretPath({ name: item.secretName, arn: item.secretArn })} onFollow={follow}>
      <UserText text={item.secretName} />
    </Link>
  );
}

function WorkflowLink({ item }: { item: BatchItem }) {
  const follow = useFollow();
  if (!item.workflowId) return <>{EMPTY_VALUE}</>;
  return (
    <Link href={workflowPath(item.workflowId)} onFollow={follow} ariaLabel={`Workflow of ${item.secretName}`}>
      Workflow
    </Link>
  );
}

const progressText = (item: BatchItem): string => {
  if (item.status === 'refused') return EMPTY_VALUE;
  const steps = `${item.stepsDone} of ${item.stepsTotal} steps`;
  return item.currentStep && (item.status === 'running' || item.status === 'failed') ? `${steps} \u00b7 ${item.currentStep}` : steps;
};

const columns: TableProps.ColumnDefinition<BatchItem>[] = [
  { id: 'name', header: 'Secret name', isRowHeader: true, minWidth: 160, cell: (item) => <SecretLink item={item} /> },
  { id: 'status', header: 'Status', cell: (item) => <StatusText type={ITEM_STATUS[item.status].type}>{ITEM_STATUS[item.status].label}</StatusText> },
  { id: 'progress', header: 'Progress', cell: progressText },
  {
    id: 'start',
    header: 'Schedule and start',
    minWidth: 180,
    cell: (item) => (item.schedule || item.startOffsetSeconds !== null ? startText(item) : EMPTY_VALUE),
  },
  {
    id: 'result',
    header: 'Result',
    minWidth: 200,
    cell: (item) =>
      item.refusal ? (
        <>
          {refusalLabels[item.refusal.reason]}: <UserText text={item.refusal.message} />
        </>
      ) : item.result ? (
        <Box color={item.status === 'failed' ? 'text-status-error' : 'inherit'} variant="span">
          <UserText text={item.result} />
        </Box>
      ) : (
        EMPTY_VALUE
      ),
  },
  { id: 'workflow', header: 'Workflow', cell: (item) => <WorkflowLink item={item} /> },
];

/** A batch as it runs: its totals and status, then each secret's progress and result. */
export function BatchView({ batch, refreshing }: { batch: Batch; refreshing: boolean }) {
  const follow = useFollow();
  const { totals } = batch;
  const inBatch = totals.total - totals.refused;
  const ended = totals.succeeded + totals.failed + totals.cancelled;
  const done = batch.status !== 'pending' && batch.status !== 'running';
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Status</Header>}>
        <SpaceBetween size="l">
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Batch status', value: <StatusText type={BATCH_STATUS[batch.status].type}>{BATCH_STATUS[batch.status].label}</StatusText> },
              { label: 'Started by', value: batch.createdBy.name },
              { label: 'Started', value: formatDateTime(batch.createdAt) },
              { label: 'Finished', value: formatDateTime(batch.finishedAt) },
              { label: 'Succeeded', value: totals.succeeded },
              { label: 'Failed', value: totals.failed },
              { label: 'Running or waiting', value: totals.running + totals.pending },
              { label: 'Refused', value: totals.refused },
              ...(batch.sharedWorkflowId
                ? [
                    {
                      label: 'Shared steps',
                      value: (
                        <Link href={workflowPath(batch.sharedWorkflowId)} onFollow={follow}>
                          {batch.sharedStatus ? BATCH_STATUS[batch.sharedStatus].label : 'Workflow'}
                        </Link>
                      ),
                    },
                  ]
                : []),
              { label: 'Staggering', value: batch.staggering },
              { label: 'Pacing', value: batch.pacing },
            ]}
          />
          <ProgressBar
            label="Secrets finished"
            value={inBatch === 0 ? 100 : Math.round((ended / inBatch) * 100)}
            additionalInfo={`${ended} of ${inBatch} secrets finished`}
            status={done ? (batch.status === 'succeeded' ? 'success' : 'error') : 'in-progress'}
            resultText={done ? `${totals.succeeded} succeeded, ${totals.failed} failed` : undefined}
          />
        </SpaceBetween>
      </Container>
      <Table
        header={
          <Header
            variant="h2"
            counter={`(${batch.items.length})`}
            description={done ? undefined : refreshing ? 'Updating…' : 'Updates every second while it runs.'}
          >
            Secrets
          </Header>
        }
        ariaLabels={{ tableLabel: 'Secrets of the batch' }}
        columnDefinitions={columns}
        items={batch.items}
        trackBy="secretArn"
        wrapLines
        contentDensity="compact"
        empty={
          <Box textAlign="center" color="inherit">
            <b>No secrets</b>
          </Box>
        }
      />
    </SpaceBetween>
  );
}
