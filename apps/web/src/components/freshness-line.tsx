import Box from '@cloudscape-design/components/box';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { IndexFreshness } from '@rotation-console/contracts';
import { formatDateTime } from '../lib/format-date.ts';
import { timeAgo } from '../lib/relative-time.ts';
import { isFleet } from '../lib/targets.ts';
import { useNow } from '../lib/use-now.ts';
import { TargetsFreshness } from './targets-freshness.tsx';

const count = new Intl.NumberFormat('en-US');

/** Whether the index is still being built, so the answer came straight from AWS's first page. */
export const isIndexing = (freshness: IndexFreshness): boolean => freshness.source === 'aws' || freshness.state === 'empty';

/** The words for how fresh the figures are. */
const freshnessText = (freshness: IndexFreshness, at: string | null, now: number): string => {
  if (isIndexing(freshness)) {
    const soFar = freshness.secretsIndexed > 0 ? ` (${count.format(freshness.secretsIndexed)} secrets indexed so far)` : '';
    return `Indexing: showing the first page straight from AWS${soFar}`;
  }
  const ago = at ? timeAgo(at, now) : null;
  const updated = ago ? `Updated ${ago}` : 'Updated';
  return freshness.state === 'crawling' ? `${updated}; indexing again now` : updated;
};

interface FreshnessLineProps {
  freshness: IndexFreshness | undefined;
  /**
   * When what the page shows was last read from AWS, where the answer says it (a page of the
   * Secrets list: its secrets' `seenAt`); else when the index last changed.
   */
  at?: string | null | undefined;
}

/**
 * "Updated 2 minutes ago", or that the index is still being built and the page comes straight from AWS.
 * Before the first answer it says it is checking, in the same shape, so the line does not change height.
 * A console covering several account-regions adds how many are fresh and a warning line for each failed
 * one (TargetsFreshness); a single-account console shows the line alone.
 */
export function FreshnessLine({ freshness, at: seenAt }: FreshnessLineProps) {
  const now = useNow();
  if (!freshness) {
    return (
      <Box color="text-body-secondary" variant="span">
        <StatusIndicator type="loading">Checking how fresh the index is</StatusIndicator>
      </Box>
    );
  }
  const indexing = isIndexing(freshness) || freshness.state !== 'ready';
  const at = seenAt ?? freshness.updatedAt ?? freshness.indexedAt;
  return (
    <Box color="text-body-secondary" variant="span">
      {/* Not a live region: "2 minutes ago" becoming "3 minutes ago" is not news to announce. */}
      <span title={at ? `${seenAt ? 'Read from AWS' : 'Index updated'} ${formatDateTime(at)}` : undefined}>
        <StatusIndicator type={indexing ? 'in-progress' : 'success'} colorOverride={indexing ? undefined : 'grey'}>
          {freshnessText(freshness, at, now)}
        </StatusIndicator>
      </span>
      {isFleet(freshness.targets) && <TargetsFreshness targets={freshness.targets} now={now} />}
    </Box>
  );
}
