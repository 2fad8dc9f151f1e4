import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { RESOURCE_KIND_LABELS, ROTATE_IMMEDIATELY_WARNING, strategyLabels, type RotationPlan } from '@rotation-console/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { EMPTY_VALUE, formatWindow } from '../../../lib/format-date.ts';
import { errorDetails } from '../../../lib/api-error.ts';
import { BreakAfterSeparators } from '../../../components/user-text.tsx';
import { stepForErrorPath, type PlanRow, planRows } from '../utils/plan.ts';
import { RetryButton } from '../../../components/query-state.tsx';

const FUNCTION_SOURCES: Record<RotationPlan['functionSource'], string> = {
  'serverless-application-repository': 'New function from the Secrets Manager template (AWS Serverless Application Repository)',
  'bundled-template': "New function from the console's bundled CloudFormation template",
  existing: 'Existing function',
};

// The wizard's content is narrow (its steps list takes a column): each column wraps between words,
// AWS calls after their "service:" (never inside an operation's name), and Runs with keeps room for a word.
const WHOLE_NAMES = { wordBreak: 'normal', overflowWrap: 'normal' } as const;
const columns: TableProps.ColumnDefinition<PlanRow>[] = [
  { id: 'order', header: 'Order', cell: (row) => row.order, minWidth: 70 },
  { id: 'title', header: 'Step', cell: (row) => row.step.title, isRowHeader: true, minWidth: 140 },
  {
    id: 'awsCalls',
    header: 'AWS calls',
    cell: (row) =>
      row.step.awsCalls.length > 0 ? (
        <SpaceBetween size="xxxs">
          {row.step.awsCalls.map((call) => (
            <Box key={call} variant="code">
              <span style={WHOLE_NAMES}>
                <BreakAfterSeparators text={call} />
              </span>
            </Box>
          ))}
        </SpaceBetween>
      ) : (
        EMPTY_VALUE
      ),
  },
  {
    id: 'runsWith',
    header: 'Runs with',
    minWidth: 120,
    cell: (row) => (row.runsWith.length > 0 ? `In parallel with: ${row.runsWith.join(', ')}` : 'Alone'),
  },
];

export interface ReviewStepProps {
  plan: UseQueryResult<RotationPlan>;
  rotateImmediately: boolean;
  acknowledged: boolean;
  onAcknowledge: (acknowledged: boolean) => void;
  /** The operator agrees to change a function that rotates other secrets too. */
  sharedAcknowledged: boolean;
  onSharedAcknowledge: (acknowledged: boolean) => void;
  /** Sends the operator back to a step (0-based) to fix what the API refused. */
  onEditStep: (stepIndex: number) => void;
  stepTitles: readonly string[];
}

/** Step 4, "Review and save": the plan the API built, its CLI session, its warnings, and the seed's warning. */
type OwnedResource = RotationPlan['resources'][number];

const USES: Record<OwnedResource['use'], string> = { create: 'Created', change: 'Changed', use: 'Used' };

const resourceColumns: TableProps.ColumnDefinition<OwnedResource>[] = [
  { id: 'kind', header: 'Resource', cell: (r) => RESOURCE_KIND_LABELS[r.kind], minWidth: 130 },
  { id: 'id', header: 'Name or ID', cell: (r) => <BreakAfterSeparators text={r.id} />, isRowHeader: true },
  { id: 'owner', header: 'Owner', cell: (r) => r.owner, minWidth: 110 },
  { id: 'use', header: 'What Save does', cell: (r) => USES[r.use], minWidth: 100 },
];

/** A function that rotates other secrets too: which, what the plan changes on it, and the operator's consent. */
function SharedFunctionNotice({
  impact,
  acknowledged,
  onAcknowledge,
}: {
  impact: NonNullable<RotationPlan['sharedFunction']>;
  acknowledged: boolean;
  onAcknowledge: (v: boolean) => void;
}) {
  const count = impact.otherSecrets.length;
  return (
    <Alert
      type={impact.acknowledgementRequired ? 'warning' : 'info'}
      header={`${impact.functionName} also rotates ${count} other secret${count === 1 ? '' : 's'}`}
    >
      <SpaceBetween size="s">
        <ul aria-label="Other secrets this function rotates" style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
          {impact.otherSecrets.map((s) => (
            <li key={s.name}>
              {s.name} ({s.team ? `team ${s.team}` : 'no team'})
            </li>
          ))}
        </ul>
        {impact.acknowledgementRequired ? (
          <>
            <span>Save changes this function for every secret above:</span>
            <ul aria-label="Changes to the shared function" style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
              {impact.changes.map((c) => (
                <li key={c.what}>
                  {c.what}: {c.before} → {c.after}
                </li>
              ))}
            </ul>
            <Checkbox checked={acknowledged} onChange={({ detail }) => onAcknowledge(detail.checked)}>
              {`I understand that Save changes ${impact.functionName} for the ${count} other secret${count === 1 ? '' : 's'} it rotates`}
            </Checkbox>
          </>
        ) : (
          <span>Save does not change this function, so their rotations are not affected.</span>
        )}
      </SpaceBetween>
    </Alert>
  );
}

export function ReviewStep({
  plan,
  rotateImmediately,
  acknowledged,
  onAcknowledge,
  sharedAcknowledged,
  onSharedAcknowledge,
  onEditStep,
  stepTitles,
}: ReviewStepProps) {
  if (plan.isPending) return <StatusIndicator type="loading">Building the plan</StatusIndicator>;

  if (plan.isError) {
    const details = errorDetails(plan.error);
    const refused = 'status' in plan.error && typeof plan.error.status === 'number' && plan.error.status >= 400 && plan.error.status < 500;
    const targets = [...new Set(details.map((detail) => stepForErrorPath(detail.path)).filter((index): index is number => index !== null))];
    const editTargets = targets.length > 0 ? targets : [0, 1];
    return (
      <Alert
        type="error"
        header={refused ? 'The plan was refused' : 'Could not build the plan'}
        action={
          refused ? (
            <SpaceBetween size="xs" direction="horizontal">
              {editTargets.map((index) => (
                <Button key={index} onClick={() => onEditStep(index)}>
                  {`Edit ${stepTitles[index] ?? `step ${index + 1}`}`}
                </Button>
              ))}
            </SpaceBetween>
          ) : (
            <RetryButton query={plan} />
          )
        }
      >
        <SpaceBetween size="xs">
          <span>{plan.error.message}</span>
          {details.length > 0 && (
            <ul aria-label="Refused fields" style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
              {details.map((detail) => (
                <li key={`${detail.path}:${detail.message}`}>
                  <Box variant="code">{detail.path}</Box>: {detail.message}
                </li>
              ))}
            </ul>
          )}
        </SpaceBetween>
      </Alert>
    );
  }

  const { data } = plan;
  const rows = planRows(data);
  const firstWindow = data.schedule.windows[0];
  // The seed's rotate-now warning is said once, beside its acknowledgement below, not again among the plan's warnings.
  const warnings = data.warnings.filter((warning) => warning !== ROTATE_IMMEDIATELY_WARNING);

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Rotation</Header>}>
        <KeyValuePairs
          columns={3}
          items={[
            { label: 'Secret', value: data.secretName },
            { label: 'Engine', value: data.engine ?? EMPTY_VALUE },
            { label: 'Rotation strategy', value: strategyLabels[data.strategy] },
            { label: 'Rotation function', value: FUNCTION_SOURCES[data.functionSource] },
            { label: 'Rotation schedule', value: data.schedule.description },
            { label: 'First scheduled window', value: firstWindow ? formatWindow(firstWindow) : EMPTY_VALUE },
          ]}
        />
      </Container>
      {data.sharedFunction && <SharedFunctionNotice impact={data.sharedFunction} acknowledged={sharedAcknowledged} onAcknowledge={onSharedAcknowledge} />}
      {warnings.length > 0 && (
        <Alert type="warning" header="Warnings">
          <ul aria-label="Plan warnings" style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </Alert>
      )}
      <Table
        header={
          <Header
            variant="h2"
            counter={`(${data.steps.length})`}
            description="What Save does, in order. Steps with the same order number run at the same time."
          >
            Plan
          </Header>
        }
        columnDefinitions={columns}
        items={rows}
        trackBy={(row) => row.step.id}
        wrapLines
        ariaLabels={{ tableLabel: 'Plan steps' }}
        empty={
          <Box textAlign="center" color="inherit">
            <b>No steps</b>
          </Box>
        }
      />
      <Table
        header={
          <Header variant="h2" counter={`(${data.resources.length})`} description="Every AWS resource Save touches, and the team that owns it.">
            Resources
          </Header>
        }
        columnDefinitions={resourceColumns}
        items={data.resources}
        trackBy={(r) => `${r.kind}:${r.id}`}
        wrapLines
        ariaLabels={{ tableLabel: 'Resources and owners' }}
        empty={
          <Box textAlign="center" color="inherit">
            <b>No resources</b>
          </Box>
        }
      />
      <Container
        header={
          <Header
            variant="h2"
            description="The same work as AWS CLI commands, with this secret's values filled in."
            actions={
              <CopyToClipboard
                variant="button"
                copyButtonText="Copy CLI session"
                copySuccessText="CLI session copied"
                copyErrorText="The CLI session could not be copied"
                textToCopy={data.cliSession}
              />
            }
          >
            AWS CLI session
          </Header>
        }
      >
        <pre aria-label="AWS CLI session" style={{ margin: 0, overflowX: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          <code>{data.cliSession}</code>
        </pre>
      </Container>
      {rotateImmediately ? (
        <Alert type="warning" header="The secret rotates when you save">
          <SpaceBetween size="s">
            <span>{ROTATE_IMMEDIATELY_WARNING}</span>
            <Checkbox checked={acknowledged} onChange={({ detail }) => onAcknowledge(detail.checked)}>
              I understand that the secret rotates immediately and the old credentials may stop working
            </Checkbox>
          </SpaceBetween>
        </Alert>
      ) : (
        <Alert type="info">The secret is not rotated when you save; the first rotation happens in the first scheduled window.</Alert>
      )}
    </SpaceBetween>
  );
}
