import Box from '@cloudscape-design/components/box';
import Popover from '@cloudscape-design/components/popover';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { TargetFreshness } from '@rotation-console/contracts';
import { formatDateTime } from '../lib/format-date.ts';
import { lastSuccessText, targetLabel } from '../lib/targets.ts';
import { TargetName } from './target-columns.tsx';
import { UserText } from './user-text.tsx';

const count = new Intl.NumberFormat('en-US');

/** A target's state in words, as the Secrets Manager console words a resource's state. */
const stateOf = (target: TargetFreshness): { type: StatusIndicatorProps.Type; text: string } => {
  switch (target.state) {
    case 'ready':
      return { type: 'success', text: 'Fresh' };
    case 'crawling':
      return { type: 'in-progress', text: target.indexedAt ? 'Indexing again' : 'Indexing' };
    case 'empty':
      return { type: 'pending', text: 'Not indexed yet' };
    case 'failed':
      return { type: 'error', text: 'Failed' };
  }
};

/** Failed first (they need someone), then by account and region. */
const byUrgency = (a: TargetFreshness, b: TargetFreshness): number =>
  Number(b.state === 'failed') - Number(a.state === 'failed') || targetLabel(a).localeCompare(targetLabel(b));

/** Each target: its state, its last success, how many secrets the index holds of it, and its error. */
function TargetList({ targets, now }: { targets: readonly TargetFreshness[]; now: number }) {
  return (
    // A large organization has hundreds of targets: the list scrolls inside the popover.
    <ul aria-label="Account-regions" style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: 360, overflowY: 'auto' }}>
      {[...targets].sort(byUrgency).map((target) => {
        const state = stateOf(target);
        return (
          <li key={`${target.accountId}/${target.region}`} style={{ paddingBlock: 4 }}>
            <Box fontWeight="bold">
              <TargetName target={target} />
            </Box>
            <div>
              <StatusIndicator type={state.type}>{state.text}</StatusIndicator>
              {' · '}
              <span title={target.indexedAt ? formatDateTime(target.indexedAt) : undefined}>last success {lastSuccessText(target, now)}</span>
              {` · ${count.format(target.secretsIndexed)} ${target.secretsIndexed === 1 ? 'secret' : 'secrets'}`}
            </div>
            {target.error && (
              <Box color="text-status-error">
                <UserText text={target.error} />
              </Box>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** "Each account-region": a popover listing every target the console covers and how fresh it is. */
export function TargetsDetails({ targets, now }: { targets: readonly TargetFreshness[]; now: number }) {
  return (
    <Popover
      triggerType="text"
      size="large"
      header="How fresh each account-region is"
      dismissAriaLabel="Close"
      // Outside the header's paragraph: the list is block content.
      renderWithPortal
      content={<TargetList targets={targets} now={now} />}
    >
      Each account-region
    </Popover>
  );
}
