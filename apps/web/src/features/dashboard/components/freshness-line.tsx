import Box from '@cloudscape-design/components/box';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { IndexFreshness } from '@rotation-console/contracts';
import { formatDateTime } from '../../../lib/format-date.ts';
import { useNow } from '../hooks/use-now.ts';
import { timeAgo } from '../utils/relative-time.ts';

const count = new Intl.NumberFormat('en-US');

/** The words for how fresh the figures are. */
const freshnessText = (freshness: IndexFreshness, now: number): string => {
  if (freshness.source === 'aws' || freshness.state === 'empty') {
    const soFar = freshness.secretsIndexed > 0 ? ` (${count.format(freshness.secretsIndexed)} secrets indexed so far)` : '';
    return `Indexing: showing the first page straight from AWS${soFar}`;
  }
  const at = freshness.updatedAt ?? freshness.indexedAt;
  const ago = at ? timeAgo(at, now) : null;
  const updated = ago ? `Updated ${ago}` : 'Updated';
  return freshness.state === 'crawling' ? `${updated}; indexing again now` : updated;
};

/**
 * "Updated 2 minutes ago", or that the index is still being built and the page comes straight from AWS.
 * Before the first answer it says it is checking, in the same shape, so the line does not change height.
 */
export function FreshnessLine({ freshness }: { freshness: IndexFreshness | undefined }) {
  const now = useNow();
  if (!freshness) {
    return (
      <Box color="text-body-secondary" variant="span">
        <StatusIndicator type="loading">Checking how fresh the index is</StatusIndicator>
      </Box>
    );
  }
  const indexing = freshness.source === 'aws' || freshness.state !== 'ready';
  const at = freshness.updatedAt ?? freshness.indexedAt;
  return (
    <Box color="text-body-secondary" variant="span">
      {/* Not a live region: "2 minutes ago" becoming "3 minutes ago" is not news to announce. */}
      <span title={at ? `Index updated ${formatDateTime(at)}` : undefined}>
        <StatusIndicator type={indexing ? 'in-progress' : 'success'} colorOverride={indexing ? undefined : 'grey'}>
          {freshnessText(freshness, now)}
        </StatusIndicator>
      </span>
    </Box>
  );
}
