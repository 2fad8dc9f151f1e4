import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { RotationLogGroup } from '@rotation-console/contracts';
import { StatusText } from './status-text.tsx';

const OUTCOME: Record<RotationLogGroup['outcome'], StatusIndicatorProps.Type> = { succeeded: 'success', failed: 'error', unknown: 'warning' };

/** Shown instead of the log to who may not read it (the API leaves the lines out). */
export const LOG_HIDDEN_TEXT = 'The rotation function\u2019s log is shown only to who may change the function: operators of the secret\u2019s team and admins.';

/**
 * One rotation's invocations of its function, one group per step: a headline in words, then
 * the step's own log lines (redacted by the API). Never other secrets' lines.
 */
export function RotationLog({ log, logHidden }: { log: RotationLogGroup[]; logHidden: boolean }) {
  if (logHidden) return <Box variant="p">{LOG_HIDDEN_TEXT}</Box>;
  if (log.length === 0) return null;
  return (
    <section aria-label="Log of this rotation">
      <Box variant="h4">Log of this rotation</Box>
      <SpaceBetween size="xs">
        {log.map((group, i) => (
          <section key={group.requestId ?? i} aria-label={group.headline}>
            {/* Drawn inside the outcome's Alert: the words in the text color keep 4.5:1 on its tint (axe). */}
            <StatusText type={OUTCOME[group.outcome]} plainWords>
              {group.headline}
            </StatusText>
            <pre style={{ margin: 0, overflowX: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              <code>{group.lines.join('\n')}</code>
            </pre>
          </section>
        ))}
      </SpaceBetween>
    </section>
  );
}
