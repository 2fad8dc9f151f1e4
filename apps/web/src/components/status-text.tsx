import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { ReactNode } from 'react';

// Cloudscape's indicator breaks its text anywhere (word-break: break-word), so a narrow column cut
// "Succeeded" or "failed" in two. Here the text wraps between words, and breaks inside a word only
// where one alone is wider than the line (a host name in an error), never to make a column narrower.
const WHOLE_WORDS = { wordBreak: 'normal', overflowWrap: 'break-word' } as const;

/**
 * A status icon and its words, wrapping between words: the one indicator of tables and headlines.
 * `plainWords`: the words in the text's own color, the icon alone colored, for a status drawn on a
 * colored background (inside an Alert, whose tint leaves the status colors' words under 4.5:1).
 */
export function StatusText({ type, plainWords = false, children }: { type: StatusIndicatorProps.Type; plainWords?: boolean; children: ReactNode }) {
  if (plainWords)
    return (
      <span>
        <StatusIndicator type={type} /> <span style={WHOLE_WORDS}>{children}</span>
      </span>
    );
  return (
    <StatusIndicator type={type}>
      <span style={WHOLE_WORDS}>{children}</span>
    </StatusIndicator>
  );
}
