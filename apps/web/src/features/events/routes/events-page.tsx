import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import type { EventsStatus } from '@rotation-console/contracts';
import { QueryState } from '../../../components/query-state.tsx';
import { StatusText } from '../../../components/status-text.tsx';
import { formatDateTime } from '../../../lib/format-date.ts';
import { useIndexChanges } from '../../../lib/api/watch-index-changes.ts';
import { useEventsStatus } from '../api/get-events-status.ts';
import { useEventsSetupPreview } from '../api/preview-events-setup.ts';
import { useStartEventsSetup } from '../api/start-events-setup.ts';

const when = (iso: string | null) => (iso ? formatDateTime(new Date(iso)) : '-');

function Setup({ status }: { status: EventsStatus }) {
  const preview = useEventsSetupPreview();
  const start = useStartEventsSetup();
  const running = status.setup !== null && ['pending', 'running'].includes(status.setup.status);
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="Creates, in the console's own account, the EventBridge rule for Secrets Manager's rotation events, the SQS queue and its dead-letter queue, the queue policy and the rule's target. Each step changes only what differs."
          actions={
            <Button variant="primary" loading={start.isPending || running} onClick={() => start.mutate()}>
              Create rule and queue
            </Button>
          }
        >
          Events setup
        </Header>
      }
    >
      <SpaceBetween size="s">
        {start.error && <StatusText type="error">{start.error.message}</StatusText>}
        {status.setup && (
          <Table
            variant="embedded"
            ariaLabels={{ tableLabel: 'Setup steps' }}
            items={status.setup.steps}
            columnDefinitions={[
              { id: 'title', header: 'Step', cell: (s) => s.title },
              {
                id: 'status',
                header: 'Status',
                cell: (s) => <StatusText type={s.status === 'succeeded' ? 'success' : s.status === 'failed' ? 'error' : 'in-progress'}>{s.status}</StatusText>,
              },
              { id: 'result', header: 'Result', cell: (s) => s.error ?? (typeof s.output?.changed === 'string' ? s.output.changed : '-') },
            ]}
          />
        )}
        <QueryState query={preview} loadingText="Loading the setup's steps" errorHeader="The setup's steps could not be read">
          {(p) => (
            <ExpandableSection headerText="Equivalent AWS CLI commands">
              <Box variant="code">
                <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{p.cliSession}</pre>
              </Box>
            </ExpandableSection>
          )}
        </QueryState>
      </SpaceBetween>
    </Container>
  );
}

/** Rotation events (admins): the queue the console consumes, the rule, the last events, and the messages set aside. */
export function EventsPage() {
  const query = useEventsStatus();
  // The last events change as they are applied.
  useIndexChanges();
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="Secrets Manager's rotation events, through EventBridge and SQS, update the index within seconds.">
        Rotation events
      </Header>
      <QueryState query={query} loadingText="Loading the events' status" errorHeader="The events' status could not be read">
        {(status) => (
          <SpaceBetween size="l">
            <Container header={<Header variant="h2">Consumer</Header>}>
              <ColumnLayout columns={4} variant="text-grid">
                <div>
                  <Box variant="awsui-key-label">Status</Box>
                  {status.consuming ? <StatusText type="success">Consuming</StatusText> : <StatusText type="stopped">Off</StatusText>}
                </div>
                <div>
                  <Box variant="awsui-key-label">Queue</Box>
                  {status.queueUrl ?? 'None yet'}
                </div>
                <div>
                  <Box variant="awsui-key-label">Rule {status.ruleName}</Box>
                  {status.ruleState ?? 'Not found'}
                </div>
                <div>
                  <Box variant="awsui-key-label">Last message</Box>
                  {when(status.lastMessageAt)}
                </div>
              </ColumnLayout>
              {status.lastError && <StatusText type="error">{status.lastError}</StatusText>}
            </Container>
            <Setup status={status} />
            <Table
              header={<Header counter={`(${status.poisonMessages.length})`}>Messages set aside</Header>}
              ariaLabels={{ tableLabel: 'Messages set aside' }}
              items={status.poisonMessages}
              empty="No message was set aside."
              columnDefinitions={[
                { id: 'at', header: 'Set aside', cell: (m) => when(m.setAsideAt) },
                { id: 'reason', header: 'Reason', cell: (m) => m.reason },
                { id: 'receives', header: 'Receives', cell: (m) => m.receiveCount },
                { id: 'event', header: 'Event id', cell: (m) => m.eventId ?? '-' },
                { id: 'message', header: 'Message id', cell: (m) => m.messageId },
              ]}
            />
            <Table
              header={<Header>Last events</Header>}
              ariaLabels={{ tableLabel: 'Last events' }}
              items={status.recentEvents}
              empty="No event received yet."
              columnDefinitions={[
                { id: 'at', header: 'Received', cell: (e) => when(e.receivedAt) },
                { id: 'name', header: 'Event', cell: (e) => e.eventName },
                { id: 'secret', header: 'Secret', cell: (e) => e.secretId },
                { id: 'place', header: 'Account and Region', cell: (e) => `${e.accountId} ${e.region}` },
                { id: 'outcome', header: 'Index', cell: (e) => e.outcome },
              ]}
            />
          </SpaceBetween>
        )}
      </QueryState>
    </SpaceBetween>
  );
}
