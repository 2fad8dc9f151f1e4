import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { FieldVerdict, SecretCheck, SecretFix, SecretFormatCheck } from '@rotation-console/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { StatusText } from '../../../components/status-text.tsx';
import { QueryErrorAlert } from '../../../components/query-state.tsx';

const VERDICTS: Record<FieldVerdict['verdict'], { type: StatusIndicatorProps.Type; label: string }> = {
  ok: { type: 'success', label: 'OK' },
  missing: { type: 'error', label: 'Missing' },
  invalid: { type: 'error', label: 'Invalid' },
  unexpected: { type: 'warning', label: 'Unexpected' },
};

const columns: TableProps.ColumnDefinition<FieldVerdict>[] = [
  { id: 'field', header: 'Field', cell: (item) => item.field, isRowHeader: true },
  {
    id: 'verdict',
    header: 'Verdict',
    cell: (item) => <StatusText type={VERDICTS[item.verdict].type}>{VERDICTS[item.verdict].label}</StatusText>,
  },
  { id: 'message', header: 'Message', cell: (item) => item.message },
];

/**
 * How to fix the secret: the fields that are wrong and the AWS CLI command that stores a new value.
 * The API fills in the secret's name and leaves a placeholder for every value: it never has one to give.
 */
function SecretFixPanel({ check, fix }: { check: SecretFormatCheck; fix: SecretFix }) {
  const wrong = check.fields.filter((field) => fix.fields.includes(field.field));
  return (
    <Alert
      type="info"
      header={`How to fix ${check.secretName}`}
      action={
        <CopyToClipboard
          variant="button"
          copyButtonText="Copy command"
          copySuccessText="Command copied"
          copyErrorText="The command could not be copied"
          textToCopy={fix.cli}
        />
      }
    >
      <SpaceBetween size="s">
        {wrong.length > 0 ? (
          <ul aria-label={`Fields to fix in ${check.secretName}`} style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
            {wrong.map((field) => (
              <li key={field.field}>
                <Box variant="code">{field.field}</Box> ({VERDICTS[field.verdict].label.toLowerCase()}): {field.message}
              </li>
            ))}
          </ul>
        ) : (
          <span>Store the value as a JSON object with the fields below.</span>
        )}
        <span>
          Store a new value with the AWS CLI. It replaces the whole value: put the real value in place of each placeholder (such as &lt;password&gt;), the
          fields that are right too, and keep any other field the secret has. Leave out dbname or port to use the defaults. Then choose Check again.
        </span>
        <pre aria-label={`Command to fix ${check.secretName}`} style={{ margin: 0, overflowX: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          <code>{fix.cli}</code>
        </pre>
      </SpaceBetween>
    </Alert>
  );
}

function FormatCheck({ title, check }: { title: string; check: SecretFormatCheck }) {
  return (
    <SpaceBetween size="s">
      <Table
        header={
          <Header
            variant="h2"
            description={`${check.secretName}${check.engine ? `, engine ${check.engine}` : ''}`}
            actions={check.ok ? <StatusIndicator type="success">Ready</StatusIndicator> : <StatusIndicator type="error">Not ready</StatusIndicator>}
          >
            {title}
          </Header>
        }
        columnDefinitions={columns}
        items={check.fields}
        trackBy="field"
        wrapLines
        ariaLabels={{ tableLabel: title }}
        empty={
          <Box textAlign="center" color="inherit">
            <b>No fields</b>
          </Box>
        }
      />
      {check.problems.length > 0 && (
        <Alert type="error" header={`Problems with ${check.secretName}`}>
          <ul aria-label={`Problems with ${check.secretName}`} style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
            {check.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </Alert>
      )}
      {check.fix && <SecretFixPanel check={check} fix={check.fix} />}
    </SpaceBetween>
  );
}

/**
 * Step 3, "Check secret": what the API found in the secret (and the master secret) against what the
 * rotation function expects. Field names and verdicts only: the API never sends a value.
 */
export function CheckStep({ check }: { check: UseQueryResult<SecretCheck> }) {
  if (check.isPending) return <StatusIndicator type="loading">Checking the secret</StatusIndicator>;
  if (check.isError) {
    return <QueryErrorAlert query={check} header="Could not check the secret" />;
  }

  const { data } = check;
  return (
    <SpaceBetween size="l">
      <SpaceBetween size="xs" direction="horizontal" alignItems="center">
        {data.ok ? (
          <StatusIndicator type="success">The secret has what the rotation function needs</StatusIndicator>
        ) : (
          <StatusIndicator type="error">Fix the secret before you continue</StatusIndicator>
        )}
        <Button variant="inline-link" iconName="refresh" onClick={() => void check.refetch()} loading={check.isFetching}>
          Check again
        </Button>
      </SpaceBetween>
      <FormatCheck title="Secret fields" check={data.secret} />
      {data.masterSecret && <FormatCheck title="Master secret fields" check={data.masterSecret} />}
    </SpaceBetween>
  );
}
