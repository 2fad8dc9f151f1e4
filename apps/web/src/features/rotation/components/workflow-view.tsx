import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { RotationOutcome, StepStatus, Workflow, WorkflowStatus, WorkflowStep } from '@rotation-console/contracts';
import { RotationLog } from '../../../components/rotation-log.tsx';
import { StatusText } from '../../../components/status-text.tsx';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { formatElapsed } from '../utils/format.ts';
import { UserText } from '../../../components/user-text.tsx';
import { detailAfterHeadline } from '../../../lib/headline.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { secretPath } from '../../../lib/paths.ts';

const STEP_STATUS: Record<StepStatus, { type: StatusIndicatorProps.Type; label: string }> = {
  pending: { type: 'pending', label: 'Pending' },
  running: { type: 'in-progress', label: 'In progress' },
  succeeded: { type: 'success', label: 'Succeeded' },
  failed: { type: 'error', label: 'Failed' },
  skipped: { type: 'stopped', label: 'Skipped' },
};

const WORKFLOW_STATUS: Record<WorkflowStatus, { type: StatusIndicatorProps.Type; label: string }> = {
  pending: { type: 'pending', label: 'Pending' },
  running: { type: 'in-progress', label: 'Running' },
  succeeded: { type: 'success', label: 'Succeeded' },
  failed: { type: 'error', label: 'Failed' },
  cancelled: { type: 'stopped', label: 'Cancelled' },
};

// Widths where the content needs them, and none elsewhere: the Error column keeps room for its words
// at 1280 px beside the side navigation (e2e/specs/layout.spec.ts).
const columns: TableProps.ColumnDefinition<WorkflowStep>[] = [
  { id: 'title', header: 'Step', cell: (step) => step.title, isRowHeader: true, minWidth: 150 },
  { id: 'status', header: 'Status', cell: (step) => <StatusText type={STEP_STATUS[step.status].type}>{STEP_STATUS[step.status].label}</StatusText> },
  { id: 'started', header: 'Started', cell: (step) => formatDateTime(step.startedAt) },
  { id: 'took', header: 'Took', cell: (step) => formatElapsed(step.startedAt, step.finishedAt) },
  { id: 'attempts', header: 'Attempts', cell: (step) => step.attempts },
  { id: 'requestId', header: 'AWS request ID', cell: (step) => (step.awsRequestId ? <UserText text={step.awsRequestId} truncateAt="12ch" /> : EMPTY_VALUE) },
  {
    id: 'error',
    header: 'Error',
    minWidth: 180,
    cell: (step) =>
      step.error ? (
        <Box color="text-status-error" variant="span">
          {step.error}
        </Box>
      ) : (
        EMPTY_VALUE
      ),
  },
];

/** "Rotation outcome unknown — the function's logs do not say": its own state, never a success. */
export const UNKNOWN_OUTCOME_HEADER = 'Rotation outcome unknown \u2014 the function\u2019s logs do not say';

function Outcome({ outcome, secretId }: { outcome: RotationOutcome; secretId: string }) {
  const follow = useFollow();
  if (outcome.result === 'not-started') {
    return (
      <Alert type="warning" header="The first rotation did not start">
        {outcome.message}
      </Alert>
    );
  }
  const { type, header } =
    outcome.result === 'rotated'
      ? { type: 'success' as const, header: 'Rotation succeeded' }
      : outcome.result === 'failed'
        ? { type: 'error' as const, header: outcome.failedStep ? `Rotation failed at ${outcome.failedStep}` : 'Rotation failed' }
        : { type: 'warning' as const, header: UNKNOWN_OUTCOME_HEADER };
  const message = detailAfterHeadline(header, outcome.message);
  return (
    <Alert type={type} header={header}>
      <SpaceBetween size="s">
        {message && <span>{message}</span>}
        <RotationLog log={outcome.log} logHidden={outcome.logHidden} />
        {outcome.result !== 'rotated' && outcome.fix && (
          <section aria-label="Suggested fix">
            <Box variant="h4">Suggested fix</Box>
            <Box variant="p">{outcome.fix}</Box>
          </section>
        )}
        {outcome.result === 'failed' && (
          // The secret's page runs the preflight by itself after a failed rotation.
          <Link href={secretPath({ name: secretId })} onFollow={follow}>
            Check rotation on the secret&apos;s page: its network, permissions, function and database login
          </Link>
        )}
      </SpaceBetween>
    </Alert>
  );
}

/** Whether the rotation's outcome above already says why the workflow failed (the watch step failed with it). */
const failureShownAbove = (workflow: Workflow) => workflow.outcome?.result === 'failed' || workflow.outcome?.result === 'unknown';

/** Where the workflow stopped, by the failed step's title; its error is in that step's row below, not repeated here. */
function WorkflowFailure({ workflow }: { workflow: Workflow }) {
  const failed = workflow.steps.find((step) => step.status === 'failed');
  if (!failed) {
    return (
      <Alert type="error" header="The workflow failed">
        {workflow.error}
      </Alert>
    );
  }
  return (
    <Alert type="error" header={`The workflow failed at \u201c${failed.title}\u201d`}>
      {'The step\u2019s error is in its row of the Steps table.'}
    </Alert>
  );
}

/** A rotation workflow as it runs: overall status, each step, and the first rotation's outcome. */
export function WorkflowView({ workflow, refreshing }: { workflow: Workflow; refreshing: boolean }) {
  const status = WORKFLOW_STATUS[workflow.status];
  const done = workflow.status !== 'pending' && workflow.status !== 'running';
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Status</Header>}>
        <KeyValuePairs
          columns={4}
          items={[
            {
              label: 'Workflow status',
              value: <StatusText type={status.type}>{status.label}</StatusText>,
            },
            { label: 'Started by', value: workflow.createdBy.name },
            { label: 'Started', value: formatDateTime(workflow.startedAt ?? workflow.createdAt) },
            { label: 'Finished', value: formatDateTime(workflow.finishedAt) },
          ]}
        />
      </Container>
      {workflow.outcome && <Outcome outcome={workflow.outcome} secretId={workflow.subject} />}
      {workflow.error && !failureShownAbove(workflow) && <WorkflowFailure workflow={workflow} />}
      <Table
        header={
          <Header
            variant="h2"
            counter={`(${workflow.steps.length})`}
            description={done ? undefined : refreshing ? 'Updating…' : 'Updates every second while it runs.'}
          >
            Steps
          </Header>
        }
        columnDefinitions={columns}
        items={workflow.steps}
        trackBy="id"
        wrapLines
        ariaLabels={{ tableLabel: 'Workflow steps' }}
        empty={
          <Box textAlign="center" color="inherit">
            <b>No steps</b>
          </Box>
        }
      />
    </SpaceBetween>
  );
}
