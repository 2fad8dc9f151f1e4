import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { TimelineEvent } from '@rotation-console/contracts';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { workflowPath } from '../../../lib/paths.ts';

const eventKindLabels: Record<TimelineEvent['kind'], string> = {
  'version-created': 'Version created',
  rotated: 'Rotated',
  workflow: 'Workflow',
  audit: 'Audit record',
};

function WorkflowLink({ workflowId }: { workflowId: string }) {
  const follow = useFollow();
  return (
    <Link href={workflowPath(workflowId)} onFollow={follow}>
      {`Workflow ${workflowId}`}
    </Link>
  );
}

type EventRow = TimelineEvent & { key: number };

const eventColumns: TableProps.ColumnDefinition<EventRow>[] = [
  { id: 'at', header: 'When', cell: (event) => formatDateTime(event.at), minWidth: 190 },
  { id: 'kind', header: 'Event', cell: (event) => eventKindLabels[event.kind], minWidth: 130 },
  { id: 'title', header: 'What happened', cell: (event) => event.title, isRowHeader: true },
  { id: 'detail', header: 'Detail', cell: (event) => event.detail ?? EMPTY_VALUE },
  { id: 'workflow', header: 'Workflow', cell: (event) => (event.workflowId ? <WorkflowLink workflowId={event.workflowId} /> : EMPTY_VALUE) },
];

/** What touched the secret, newest first: versions created, rotations, the console's workflows and audit records. */
export function EventsTable({ events }: { events: readonly TimelineEvent[] }) {
  // The API sends them newest first; sorted again so the order holds whatever arrives.
  const newestFirst: EventRow[] = events.map((event, key) => ({ ...event, key })).sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.key - b.key);
  return (
    <Table
      variant="container"
      header={
        <Header variant="h2" counter={`(${events.length})`} description="Newest first.">
          Events
        </Header>
      }
      columnDefinitions={eventColumns}
      items={newestFirst}
      trackBy={(event) => String(event.key)}
      wrapLines
      ariaLabels={{ tableLabel: 'Events' }}
      empty={
        <Box textAlign="center" color="inherit">
          <b>No events</b>
        </Box>
      }
    />
  );
}
