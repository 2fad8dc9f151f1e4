import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { BATCH_ACTIONS, batchActionButtonLabels, secretsCount, type BatchAction } from '../lib/batch-selection.ts';

/** The three changes for many secrets, in a table's header: off until something is selected. */
export function BatchActionButtons({ selected, onAction }: { selected: number; onAction: (action: BatchAction) => void }) {
  return (
    <SpaceBetween direction="horizontal" size="xs">
      {BATCH_ACTIONS.map((action) => (
        <Button key={action} disabled={selected === 0} onClick={() => onAction(action)}>
          {batchActionButtonLabels[action]}
        </Button>
      ))}
    </SpaceBetween>
  );
}

interface SelectionLineProps {
  /** How many rows are checked (on every page seen), or, with `allMatching`, how many secrets match the filter. */
  selected: number;
  /** Every secret matching the filter, on this page or not. */
  total: number;
  allMatching: boolean;
  onSelectAllMatching: () => void;
  onClear: () => void;
  /** "this filter" on the dashboard, "this team" on the portal. */
  scope: string;
}

/**
 * What is selected, in words, under a table's title: "3 secrets selected", or every secret matching
 * the filter, with "Select all N matching this filter" (the table's own checkboxes reach one page).
 */
export function SelectionLine({ selected, total, allMatching, onSelectAllMatching, onClear, scope }: SelectionLineProps) {
  if (total === 0) return null;
  return (
    <SpaceBetween direction="horizontal" size="xs" alignItems="center">
      <Box variant="span" color="text-body-secondary">
        {allMatching ? `All ${secretsCount(total)} matching ${scope} selected.` : selected > 0 ? `${secretsCount(selected)} selected.` : 'None selected.'}
      </Box>
      {!allMatching && (
        <Button variant="inline-link" onClick={onSelectAllMatching}>
          {`Select all ${total} matching ${scope}`}
        </Button>
      )}
      {(allMatching || selected > 0) && (
        <Button variant="inline-link" onClick={onClear}>
          Clear selection
        </Button>
      )}
    </SpaceBetween>
  );
}
