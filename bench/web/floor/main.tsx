// The web benchmark's floor: a bare Cloudscape AppLayout with a Table of the dashboard's first page
// of rows (fetched from /rows.json, as the console fetches its page) and nothing else.
import '@cloudscape-design/global-styles/index.css';
import AppLayout from '@cloudscape-design/components/app-layout';
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import { createRoot } from 'react-dom/client';

interface Row {
  name: string;
  arn: string;
  status: string;
  schedule: string | null;
  lastRotatedDate: string | null;
  nextRotationDate: string | null;
  lambdaArn: string | null;
  team: string | null;
  engine: string | null;
}

const text = (value: string | null) => value ?? '-';

const rows = (await (await fetch('/rows.json')).json()) as Row[];
const root = document.getElementById('root');
if (!root) throw new Error('no #root');

createRoot(root).render(
  <AppLayout
    navigationHide
    toolsHide
    content={
      <Table
        header={<Header variant="h1">Secrets</Header>}
        items={rows}
        trackBy="arn"
        columnDefinitions={[
          { id: 'name', header: 'Secret name', cell: (row) => row.name, isRowHeader: true },
          { id: 'status', header: 'Rotation status', cell: (row) => row.status },
          { id: 'schedule', header: 'Rotation schedule', cell: (row) => text(row.schedule) },
          { id: 'last', header: 'Last rotated', cell: (row) => text(row.lastRotatedDate) },
          { id: 'next', header: 'Next rotation', cell: (row) => text(row.nextRotationDate) },
          { id: 'function', header: 'Rotation function', cell: (row) => text(row.lambdaArn) },
          { id: 'team', header: 'Team', cell: (row) => text(row.team) },
          { id: 'engine', header: 'Engine', cell: (row) => text(row.engine) },
        ]}
      />
    }
  />,
);
