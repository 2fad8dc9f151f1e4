import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { BatchPreview, BatchSecretPlan } from '@rotation-console/contracts';
import { StatusText } from '../../../components/status-text.tsx';
import { UserText } from '../../../components/user-text.tsx';
import { EMPTY_VALUE } from '../../../lib/format-date.ts';
import { preflightStatus, refusalLabels, startText } from '../utils/format.ts';

const name: TableProps.ColumnDefinition<BatchSecretPlan> = {
  id: 'name',
  header: 'Secret name',
  isRowHeader: true,
  minWidth: 160,
  cell: (s) => <UserText text={s.secretName} />,
};
const team: TableProps.ColumnDefinition<BatchSecretPlan> = { id: 'team', header: 'Team', cell: (s) => (s.team ? <UserText text={s.team} /> : EMPTY_VALUE) };

const includedColumns: TableProps.ColumnDefinition<BatchSecretPlan>[] = [
  name,
  team,
  { id: 'start', header: 'Schedule and start', minWidth: 200, cell: (s) => startText(s) },
  { id: 'steps', header: 'Steps', minWidth: 180, cell: (s) => (s.steps.length > 0 ? s.steps.map((step) => step.title).join(' \u2192 ') : EMPTY_VALUE) },
  {
    id: 'preflight',
    header: 'Preflight',
    minWidth: 140,
    cell: (s) =>
      s.preflight ? (
        <SpaceBetween size="xxxs">
          <StatusText type={preflightStatus[s.preflight.verdict].type}>{preflightStatus[s.preflight.verdict].label}</StatusText>
          {s.preflight.findings.map((finding) => (
            <Box key={finding} variant="small">
              <UserText text={finding} />
            </Box>
          ))}
        </SpaceBetween>
      ) : (
        'Not run'
      ),
  },
];

const refusedColumns: TableProps.ColumnDefinition<BatchSecretPlan>[] = [
  name,
  team,
  { id: 'reason', header: 'Reason', cell: (s) => (s.refusal ? <StatusText type="stopped">{refusalLabels[s.refusal.reason]}</StatusText> : EMPTY_VALUE) },
  { id: 'why', header: 'Why', minWidth: 240, cell: (s) => (s.refusal ? <UserText text={s.refusal.message} /> : EMPTY_VALUE) },
];

/**
 * The plan of a batch, before anything runs: what is shared (shown once), every included secret with
 * its own steps, its start and its preflight verdict, and every refused secret with the reason.
 */
export function BatchPlan({ preview }: { preview: BatchPreview }) {
  const included = preview.secrets.filter((s) => s.refusal === null);
  const refused = preview.secrets.filter((s) => s.refusal !== null);
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Summary</Header>}>
        <SpaceBetween size="m">
          <Box variant="p">{preview.summary}</Box>
          <KeyValuePairs
            columns={3}
            items={[
              { label: 'Selected', value: preview.totals.selected },
              { label: 'In the batch', value: preview.totals.included },
              { label: 'Refused', value: preview.totals.refused },
              { label: 'Staggering', value: preview.staggering },
              { label: 'Pacing', value: preview.pacing },
            ]}
          />
        </SpaceBetween>
      </Container>
      {preview.warnings.length > 0 && (
        <Alert type="warning" header="Before you start">
          <ul aria-label="Warnings" style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
            {preview.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </Alert>
      )}
      <Container
        header={
          <Header variant="h2" description="Done once, before any secret's own steps.">
            Shared by every secret
          </Header>
        }
      >
        <SpaceBetween size="s">
          <Box variant="p">{preview.shared.description}</Box>
          {preview.shared.steps.length > 0 && (
            <ol aria-label="Shared steps" style={{ margin: 0, paddingInlineStart: '1.5rem' }}>
              {preview.shared.steps.map((step) => (
                <li key={step.id}>{step.title}</li>
              ))}
            </ol>
          )}
          {preview.shared.resources.length > 0 && (
            <ul aria-label="Shared resources" style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
              {preview.shared.resources.map((r) => (
                <li key={`${r.kind}/${r.id}`}>
                  {r.kind} <UserText text={r.id} /> ({r.owner}): {r.use}
                </li>
              ))}
            </ul>
          )}
          {preview.shared.cli && (
            <ExpandableSection headerText="Shared AWS CLI commands">
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                <code>{preview.shared.cli}</code>
              </pre>
            </ExpandableSection>
          )}
        </SpaceBetween>
      </Container>
      <Table
        header={
          <Header variant="h2" counter={`(${included.length})`} description="In start order: each secret is its own workflow under the batch.">
            Secrets in the batch
          </Header>
        }
        ariaLabels={{ tableLabel: 'Secrets in the batch' }}
        columnDefinitions={includedColumns}
        items={included}
        trackBy="secretArn"
        wrapLines
        contentDensity="compact"
        empty={
          <Box textAlign="center" color="inherit">
            <b>No secret can be part of this batch</b>
          </Box>
        }
      />
      {refused.length > 0 && (
        <Table
          header={
            <Header variant="h2" counter={`(${refused.length})`} description="Left out of the batch: nothing is done to them.">
              Refused secrets
            </Header>
          }
          ariaLabels={{ tableLabel: 'Refused secrets' }}
          columnDefinitions={refusedColumns}
          items={refused}
          trackBy="secretArn"
          wrapLines
          contentDensity="compact"
        />
      )}
    </SpaceBetween>
  );
}
