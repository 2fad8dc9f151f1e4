import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { SecretVersion } from '@rotation-console/contracts';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';

const columnDefinitions: TableProps.ColumnDefinition<SecretVersion>[] = [
  { id: 'versionId', header: 'Version ID', cell: (version) => version.versionId, isRowHeader: true },
  {
    id: 'stages',
    header: 'Staging labels',
    cell: (version) => (version.stages.length > 0 ? version.stages.join(', ') : EMPTY_VALUE),
  },
  { id: 'lastAccessed', header: 'Last accessed', cell: (version) => formatDateTime(version.lastAccessedDate) },
  { id: 'created', header: 'Created on', cell: (version) => formatDateTime(version.createdDate) },
];

/** The secret's versions and the staging labels attached to each (AWSCURRENT, AWSPENDING, AWSPREVIOUS). */
export function SecretVersionsTable({ versions }: { versions: readonly SecretVersion[] }) {
  return (
    <Table
      header={<Header variant="h2" counter={`(${versions.length})`}>Versions</Header>}
      columnDefinitions={columnDefinitions}
      items={versions}
      trackBy="versionId"
      wrapLines
      ariaLabels={{ tableLabel: 'Versions' }}
      empty={
        <Box textAlign="center" color="inherit">
          <b>No versions</b>
        </Box>
      }
    />
  );
}
