import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { BatchRequestInput } from '@rotation-console/contracts';
import { useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { QueryErrorAlert } from '../../../components/query-state.tsx';
import { UserText } from '../../../components/user-text.tsx';
import { errorDetails } from '../../../lib/api-error.ts';
import { batchActionButtonLabels, isBatchAction, secretsCount, selectionOfState, type BatchAction, type BatchSelection } from '../../../lib/batch-selection.ts';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { functionNameOfArn } from '../../../lib/lambda-arn.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { BATCHES_PATH, batchPath, DASHBOARD_PATH, PORTAL_PATH } from '../../../lib/paths.ts';
import { useBatchPreview } from '../api/preview-batch.ts';
import { isStalePreview, useStartBatch } from '../api/start-batch.ts';
import { BatchPlan } from '../components/batch-plan.tsx';
import { EnableForm } from '../components/enable-form.tsx';
import { configurationProblems, enableActionOf, initialEnableConfiguration, type EnableConfiguration } from '../utils/configuration.ts';

const selectionOfRequest = (selection: BatchSelection): BatchRequestInput['selection'] =>
  selection.kind === 'secrets' ? { kind: 'secrets', secretIds: selection.secrets.map((s) => s.arn) } : { kind: 'filter', filter: selection.filter };

const selectedCount = (selection: BatchSelection) => (selection.kind === 'secrets' ? selection.secrets.length : selection.total);

/** The secrets chosen, in words: their names (a few), or the filter. */
function SelectionSummary({ selection }: { selection: BatchSelection }) {
  if (selection.kind === 'filter') {
    const parts = Object.entries(selection.filter).map(([key, value]) => `${key} ${String(value)}`);
    return (
      <Box variant="p">
        Every secret matching {parts.length > 0 ? <UserText text={parts.join(', ')} /> : 'no filter (all secrets you may change)'}:{' '}
        {secretsCount(selection.total)} when selected; the plan holds what the index holds now.
      </Box>
    );
  }
  const shown = selection.secrets.slice(0, 5).map((s) => s.name);
  const more = selection.secrets.length - shown.length;
  return (
    <Box variant="p">
      <UserText text={shown.join(', ')} />
      {more > 0 ? ` and ${more} more` : ''}.
    </Box>
  );
}

function NoSelection() {
  const follow = useFollow();
  return (
    <Alert type="info" header="No secrets selected">
      <SpaceBetween size="xs">
        <span>Select secrets on the dashboard or the team portal, then choose an action.</span>
        <SpaceBetween direction="horizontal" size="m">
          <Link href={DASHBOARD_PATH} onFollow={follow}>
            Go to the dashboard
          </Link>
          <Link href={PORTAL_PATH} onFollow={follow}>
            Go to the team portal
          </Link>
        </SpaceBetween>
      </SpaceBetween>
    </Alert>
  );
}

/** The review: the plan the API built for the request, then "Start batch". */
function Review({ request, onBack }: { request: BatchRequestInput; onBack: () => void }) {
  const navigate = useNavigate();
  const preview = useBatchPreview(request);
  const start = useStartBatch();
  // One key per review, sent again on a retry of the same review.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const included = preview.data?.totals.included ?? 0;
  // A function the batch changes (its permission, role policy or network) may rotate other secrets too:
  // as in the wizard, the change waits for the person's word, and the request carries it.
  const changedFunction =
    request.action.action === 'enable' ? preview.data?.shared.resources.find((r) => r.kind === 'function' && r.use === 'change') : undefined;
  const [acknowledged, setAcknowledged] = useState(false);
  const startRequest: BatchRequestInput =
    changedFunction && acknowledged && request.action.action === 'enable'
      ? { ...request, action: { ...request.action, acknowledgeSharedFunction: true } }
      : request;
  // Start applies the plan shown (the API kept it under its previewId), not a new one.
  const onStart = () =>
    start.mutate(
      { request: { ...startRequest, ...(preview.data ? { previewId: preview.data.previewId } : {}) }, idempotencyKey },
      { onSuccess: (accepted) => void navigate(batchPath(accepted.id)) },
    );
  // The plan shown expired (or was used): a new preview, a new review, and the person's word asked
  // again (the new plan may change the function differently).
  const stale = start.isError && isStalePreview(start.error);
  const previewAgain = () => {
    start.reset();
    setIdempotencyKey(newIdempotencyKey());
    setAcknowledged(false);
    void preview.refetch();
  };

  return (
    <SpaceBetween size="l">
      {preview.isPending && (
        <Box padding={{ vertical: 'l' }}>
          <StatusIndicator type="loading">Planning the batch: checking every secret</StatusIndicator>
        </Box>
      )}
      {preview.isError && <QueryErrorAlert query={preview} header="The batch could not be planned" />}
      {preview.data && <BatchPlan preview={preview.data} />}
      {changedFunction && (
        <Checkbox checked={acknowledged} onChange={({ detail }) => setAcknowledged(detail.checked)}>
          {`I understand that Start batch changes ${functionNameOfArn(changedFunction.id)}, and that every other secret it rotates runs with the change`}
        </Checkbox>
      )}
      {start.isError && (
        <Alert
          type="error"
          header={stale ? 'The plan shown can no longer be started' : 'The batch did not start'}
          action={stale ? <Button onClick={previewAgain}>Preview again</Button> : undefined}
        >
          <SpaceBetween size="xxs">
            <span>{start.error.message}</span>
            {errorDetails(start.error)
              .filter((d) => d.path !== 'previewId')
              .map((d) => (
                <span key={`${d.path}:${d.message}`}>{d.message}</span>
              ))}
          </SpaceBetween>
        </Alert>
      )}
      <Box float="right">
        <SpaceBetween direction="horizontal" size="xs">
          <Button onClick={onBack}>Back</Button>
          <Button
            variant="primary"
            disabled={!preview.data || included === 0 || preview.isFetching || (changedFunction !== undefined && !acknowledged)}
            loading={start.isPending}
            onClick={onStart}
          >
            Start batch
          </Button>
        </SpaceBetween>
      </Box>
    </SpaceBetween>
  );
}

function BatchFlow({ action, selection }: { action: BatchAction; selection: BatchSelection }) {
  const [configuration, setConfiguration] = useState<EnableConfiguration>(initialEnableConfiguration);
  const [spreadMinutes, setSpreadMinutes] = useState('0');
  const [preflight, setPreflight] = useState(true);
  const [showErrors, setShowErrors] = useState(false);
  // Turning rotation off needs no configuration: its plan is the first thing shown.
  const [request, setRequest] = useState<BatchRequestInput | null>(() =>
    action === 'disable' ? { selection: selectionOfRequest(selection), action: { action: 'disable' } } : null,
  );
  const problems = configurationProblems(configuration);
  const spread = Number(spreadMinutes);
  const spreadProblem = /^\d+$/.test(spreadMinutes.trim()) && spread <= 1440 ? undefined : 'A whole number of minutes from 0 to 1440.';

  const review = () => {
    setShowErrors(true);
    if (action === 'enable' && Object.keys(problems).length > 0) return;
    if (action === 'rotate' && spreadProblem) return;
    setRequest({
      selection: selectionOfRequest(selection),
      action: action === 'enable' ? enableActionOf(configuration) : { action: 'rotate', spreadMinutes: spread },
      preflight,
    });
  };

  if (request) return <Review request={request} onBack={() => (action === 'disable' ? history.back() : setRequest(null))} />;

  return (
    <SpaceBetween size="l">
      {action === 'enable' && (
        <EnableForm
          value={configuration}
          onChange={(patch) => setConfiguration((previous) => ({ ...previous, ...patch }))}
          problems={problems}
          showErrors={showErrors}
          sampleSecretId={selection.kind === 'secrets' ? selection.secrets[0]?.arn : undefined}
        />
      )}
      {action === 'rotate' && (
        <Container header={<Header variant="h2">Rotate secret immediately</Header>}>
          <FormField
            label="Spread over minutes"
            description="The RotateSecret calls are spread evenly over this many minutes; 0 sends them as fast as AWS allows (50 a second per account and Region)."
            errorText={showErrors ? spreadProblem : undefined}
          >
            <Input type="number" inputMode="numeric" value={spreadMinutes} onChange={({ detail }) => setSpreadMinutes(detail.value)} />
          </FormField>
        </Container>
      )}
      <Container header={<Header variant="h2">Checks</Header>}>
        <Checkbox
          checked={preflight}
          onChange={({ detail }) => setPreflight(detail.checked)}
          description="Read-only checks of each secret's network, permissions, function and database login; a secret that fails them is left out."
        >
          Run the preflight on every secret
        </Checkbox>
      </Container>
      <Box float="right">
        <Button variant="primary" onClick={review}>
          Review plan
        </Button>
      </Box>
    </SpaceBetween>
  );
}

/** `/batches/new?action=`: many secrets at once: the configuration, then the plan, then "Start batch". */
export function NewBatchPage() {
  const [params] = useSearchParams();
  const location = useLocation();
  const actionParam = params.get('action');
  const action: BatchAction = isBatchAction(actionParam) ? actionParam : 'enable';
  const selection = selectionOfState(location.state);
  const title = selection ? `${batchActionButtonLabels[action]} for ${secretsCount(selectedCount(selection))}` : batchActionButtonLabels[action];

  return (
    <SpaceBetween size="l">
      <Breadcrumbs
        items={[
          { text: 'Batches', href: BATCHES_PATH },
          { text: batchActionButtonLabels[action], href: '#' },
        ]}
      />
      <Header variant="h1" description={selection ? <SelectionSummary selection={selection} /> : undefined}>
        {title}
      </Header>
      {selection ? <BatchFlow action={action} selection={selection} /> : <NoSelection />}
    </SpaceBetween>
  );
}
