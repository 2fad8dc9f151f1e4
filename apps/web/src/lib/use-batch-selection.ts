import type { TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';
import { isAllowed } from '@rotation-console/contracts/policy';
import { mayChangeSecrets, useOpenBatch, type BatchAction, type BatchFilter, type PickedSecret } from './batch-selection.ts';
import { useMe } from './me.ts';

const picked = ({ name, arn, team }: PickedSecret): PickedSecret => ({ name, arn, team });

/**
 * The multi-selection of a table of secrets, for the batch actions: the checked rows (kept across
 * pages), or every secret matching the filter. `filterKey` names the filter in view: when it changes,
 * the selection starts again, so a batch never holds rows the person can no longer see. Rows the
 * person may not change cannot be checked; a person who may change none sees no checkboxes.
 */
export const useBatchSelection = <T extends PickedSecret>({ filterKey, filter, total }: { filterKey: string; filter: BatchFilter; total: number }) => {
  const { data: me } = useMe();
  const openBatch = useOpenBatch();
  const [selectedItems, setSelectedItems] = useState<T[]>([]);
  const [allMatching, setAllMatching] = useState(false);
  const [forKey, setForKey] = useState(filterKey);
  if (forKey !== filterKey) {
    setForKey(filterKey);
    setSelectedItems([]);
    setAllMatching(false);
  }

  const enabled = mayChangeSecrets(me);
  const mayChange = (row: T) => me !== undefined && isAllowed(me, 'workflows:start', { type: 'secret', name: row.name, team: row.team });
  const selected = allMatching ? total : selectedItems.length;

  /** The props a Cloudscape Table needs for it; none (no checkboxes) for someone who may change nothing. */
  const tableProps: Partial<TableProps<T>> = enabled
    ? {
        selectionType: 'multi',
        selectedItems,
        isItemDisabled: (row) => !mayChange(row),
        onSelectionChange: ({ detail }) => {
          setAllMatching(false);
          setSelectedItems([...detail.selectedItems]);
        },
      }
    : {};

  return {
    enabled,
    selected,
    allMatching,
    tableProps,
    selectAllMatching: () => setAllMatching(true),
    clear: () => {
      setAllMatching(false);
      setSelectedItems([]);
    },
    open: (action: BatchAction) => openBatch(action, allMatching ? { kind: 'filter', filter, total } : { kind: 'secrets', secrets: selectedItems.map(picked) }),
  };
};

/** The checkboxes' accessible names (Cloudscape reads them to screen readers). */
export const selectionLabels = <T extends { name: string }>(
  tableLabel: string,
): Pick<TableProps.AriaLabels<T>, 'allItemsSelectionLabel' | 'itemSelectionLabel' | 'selectionGroupLabel'> => ({
  selectionGroupLabel: `${tableLabel} selection`,
  allItemsSelectionLabel: () => 'Select every secret on this page',
  itemSelectionLabel: (_selection, row) => `Select ${row.name}`,
});
