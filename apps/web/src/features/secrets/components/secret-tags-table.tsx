import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { Tag } from '@rotation-console/contracts';
import { UserText } from '../../../components/user-text.tsx';

const columnDefinitions: TableProps.ColumnDefinition<Tag>[] = [
  { id: 'key', header: 'Key', cell: (tag) => <UserText text={tag.key} />, isRowHeader: true },
  { id: 'value', header: 'Value', cell: (tag) => <UserText text={tag.value} /> },
];

/** The secret's tags. */
export function SecretTagsTable({ tags }: { tags: readonly Tag[] }) {
  return (
    <Table
      header={
        <Header variant="h2" counter={`(${tags.length})`}>
          Tags
        </Header>
      }
      columnDefinitions={columnDefinitions}
      items={tags}
      trackBy="key"
      wrapLines
      ariaLabels={{ tableLabel: 'Tags' }}
      empty={
        <Box textAlign="center" color="inherit">
          <b>No tags</b>
          <Box variant="p" color="inherit">
            This secret has no tags.
          </Box>
        </Box>
      }
    />
  );
}
