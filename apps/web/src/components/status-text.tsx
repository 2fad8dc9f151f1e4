import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { ReactNode } from 'react';

// Cloudscape's indicator breaks its text anywhere (word-break: break-word), so a narrow column cut
// "Succeeded" or "failed" in two. Here the text wraps between words, and breaks inside a word only
// where one alone is wider than the line (a host name in an error), never to make a column narrower.
const WHOLE_WORDS = { wordBreak: 'normal', overflowWrap: 'break-word' } as const;

/** A status icon and its words, wrapping between words: the one indicator of tables and headlines. */
export function StatusText({ type, children }: { type: StatusIndicatorProps.Type; children: ReactNode }) {
  return (
    <StatusIndicator type={type}>
      <span style={WHOLE_WORDS}>{children}</span>
    </StatusIndicator>
  );
}
