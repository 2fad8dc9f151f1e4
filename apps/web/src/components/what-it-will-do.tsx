import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';

const PRE = { margin: 0, overflowX: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all' } as const;

/** A preview's warnings (an operation's, a function update's), one alert each. */
export function PreviewWarnings({ warnings }: { warnings: readonly string[] }) {
  return (
    <>
      {warnings.map((warning, index) => (
        <Alert key={index} type="warning">
          {warning}
        </Alert>
      ))}
    </>
  );
}

/** What a change will do, in order, in words with the AWS CLI command of each, as its preview answers it. Nothing when it does nothing. */
export function WhatItWillDo({ actions }: { actions: readonly { description: string; cli: string | null }[] }) {
  if (actions.length === 0) return null;
  return (
    <section aria-label="What it will do">
      <Box variant="h3">What it will do</Box>
      <ol style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
        {actions.map((action, index) => (
          <li key={index}>
            <SpaceBetween size="xxs">
              <span>{action.description}</span>
              {action.cli && (
                <pre style={PRE}>
                  <code>{action.cli}</code>
                </pre>
              )}
            </SpaceBetween>
          </li>
        ))}
      </ol>
    </section>
  );
}
