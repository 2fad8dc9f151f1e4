import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { SecretVersion } from '@rotation-console/contracts';
import { EMPTY_VALUE, formatDateTime, formatDay } from '../lib/format-date.ts';

const columnDefinitions: TableProps.ColumnDefinition<SecretVersion>[] = [
  { id: 'versionId', header: 'Version ID', cell: (version) => version.versionId, isRowHeader: true },
  { id: 'stages', header: 'Staging labels', cell: (version) => (version.stages.length > 0 ? version.stages.join(', ') : EMPTY_VALUE) },
  // A dash where the API left a date out: it was not one AWS could have given (apps/api version-dates.ts).
  { id: 'created', header: 'Created on', cell: (version) => formatDateTime(version.createdDate) },
  // AWS keeps the last access to the day: a time of day would claim more than it knows.
  { id: 'lastAccessed', header: 'Last accessed', cell: (version) => formatDay(version.lastAccessedDate) },
];

/** A secret's versions and the staging labels on each (AWSCURRENT, AWSPENDING, AWSPREVIOUS): the one table of the secret's page and its timeline. */
export function VersionsTable({ versions }: { versions: readonly SecretVersion[] }) {
  return (
    <Table
      variant="container"
      header={
        <Header variant="h2" counter={`(${versions.length})`}>
          Versions
        </Header>
      }
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
