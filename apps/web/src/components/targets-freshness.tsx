import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { TargetFreshness } from '@rotation-console/contracts';
import { Fragment, type CSSProperties } from 'react';
import { isTargetFresh, lastSuccessText } from '../lib/targets.ts';
import { TargetName } from './target-columns.tsx';
// Imported, not lazy: the popover shares nearly all its code with what the landing page loads anyway,
// and a chunk of its own made the first route's JavaScript larger (2.6 kB gzipped, against 1.6 kB).
import { TargetsDetails } from './targets-details.tsx';
import { UserText } from './user-text.tsx';

/** Failed targets shown each on a line of its own with its error; the rest by name on one more line (their errors in the details). */
const FAILED_LINES = 3;

/** A line of its own inside the header's description, which is phrasing content (Cloudscape draws it in a paragraph). */
const line: CSSProperties = { display: 'block' };

/**
 * How fresh each account-region of a fleet is, beside the index's "Updated …": how many are fresh,
 * the details of each behind a click, and every failed one on a warning line with its error and its
 * last success, shown without a click (a failed target's secrets are missing or stale in every figure).
 */
export function TargetsFreshness({ targets, now }: { targets: readonly TargetFreshness[]; now: number }) {
  const failed = targets.filter((target) => target.state === 'failed');
  const fresh = targets.filter(isTargetFresh).length;
  const named = failed.slice(0, FAILED_LINES);
  const more = failed.slice(FAILED_LINES);
  return (
    <>
      {` · ${fresh} of ${targets.length} account-regions fresh `}
      <TargetsDetails targets={targets} now={now} />
      {named.map((target) => (
        <span key={`${target.accountId}/${target.region}`} style={line}>
          <StatusIndicator type="warning">
            <TargetName target={target} /> failed: <UserText text={target.error ?? 'no reason given'} />; last success {lastSuccessText(target, now)}
          </StatusIndicator>
        </span>
      ))}
      {more.length > 0 && (
        <span style={line}>
          <StatusIndicator type="warning">
            {more.length} more failed:{' '}
            {more.map((target, index) => (
              <Fragment key={`${target.accountId}/${target.region}`}>
                {index > 0 && ', '}
                <TargetName target={target} />
              </Fragment>
            ))}
          </StatusIndicator>
        </span>
      )}
    </>
  );
}
