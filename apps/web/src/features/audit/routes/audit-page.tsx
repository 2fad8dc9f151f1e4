import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { AuditOutcome, type AuditRecord } from '@rotation-console/contracts';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { QueryState } from '../../../components/query-state.tsx';
import { formatDateTime } from '../../../lib/format-date.ts';
import { StatusText } from '../../../components/status-text.tsx';
import { BreakAfterSeparators } from '../../../components/user-text.tsx';
import { AUDIT_FILTERS, useAuditRecords, type AuditFilter, type AuditFilters } from '../api/list-audit-records.ts';

const filtersOf = (params: URLSearchParams): AuditFilters => Object.fromEntries(AUDIT_FILTERS.flatMap((f) => (params.get(f) ? [[f, params.get(f)!]] : [])));

const outcomeIndicator = (outcome: string) => {
  if (outcome === 'denied' || outcome === 'failure' || outcome === 'failed') return <StatusText type="error">{outcome}</StatusText>;
  if (outcome === 'accepted') return <StatusText type="in-progress">{outcome}</StatusText>;
  return <StatusText type="success">{outcome}</StatusText>;
};

const ALL = { value: '', label: 'Any outcome' };
const outcomeOptions = [ALL, ...AuditOutcome.options.map((o) => ({ value: o, label: o }))];

function FilterForm({ filters, onApply }: { filters: AuditFilters; onApply: (next: AuditFilters) => void }) {
  const [draft, setDraft] = useState<AuditFilters>(filters);
  const field = (name: Exclude<AuditFilter, 'outcome'>, label: string, placeholder: string) => (
    <FormField label={label}>
      <Input value={draft[name] ?? ''} placeholder={placeholder} ariaLabel={label} onChange={({ detail }) => setDraft({ ...draft, [name]: detail.value })} />
    </FormField>
  );
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <SpaceBetween size="s">
        <ColumnLayout columns={3}>
          {field('actor', 'Actor', 'alice, svc-payments')}
          {field('action', 'Action', 'auth.login, or auth. for every sign-in event')}
          {field('subject', 'Subject contains', 'a secret name or ARN, a route')}
          <FormField label="Outcome">
            <Select
              ariaLabel="Outcome"
              selectedOption={outcomeOptions.find((o) => o.value === (draft.outcome ?? '')) ?? ALL}
              options={outcomeOptions}
              onChange={({ detail }) => setDraft({ ...draft, outcome: detail.selectedOption.value || undefined })}
            />
          </FormField>
          {field('from', 'From', '2026-11-28T00:00:00Z')}
          {field('to', 'To', '2026-11-29T00:00:00Z')}
        </ColumnLayout>
        <Button formAction="submit" variant="primary">
          Apply filters
        </Button>
      </SpaceBetween>
    </form>
  );
}

/** `/audit`: who did what, when and from where; for admins (the API refuses everyone else). */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const query = useAuditRecords(filters);
  const apply = (next: AuditFilters) =>
    setParams(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v.trim() !== '')) as Record<string, string>);

  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="Sign-ins, sign-outs, refusals and every change the console made, newest first. Never a secret value or a token.">
        Audit log
      </Header>
      <FilterForm key={params.toString()} filters={filters} onApply={apply} />
      <QueryState query={query} loadingText="Loading the audit log" errorHeader="Failed to load the audit log">
        {(data) => {
          const items: AuditRecord[] = data.pages.flatMap((p) => p.items);
          return (
            <SpaceBetween size="m">
              <Table
                ariaLabels={{ tableLabel: 'Audit records' }}
                variant="container"
                items={items}
                trackBy="id"
                wrapLines
                empty={<Box textAlign="center">No audit records match these filters.</Box>}
                columnDefinitions={[
                  { id: 'at', header: 'Time', cell: (r) => formatDateTime(r.at) },
                  {
                    id: 'actor',
                    header: 'Actor',
                    cell: (r) => (r.actor.name === r.actor.id ? r.actor.id : `${r.actor.name} (${r.actor.id})`),
                    isRowHeader: true,
                  },
                  { id: 'action', header: 'Action', cell: (r) => r.action },
                  { id: 'subject', header: 'Subject', cell: (r) => <BreakAfterSeparators text={r.subject} /> },
                  { id: 'outcome', header: 'Outcome', cell: (r) => outcomeIndicator(r.outcome) },
                  // Refusals without valid credentials are counted per address and minute: one row says how many.
                  { id: 'count', header: 'Times', cell: (r) => (r.count > 1 ? `${r.count} times in that minute` : '1') },
                  { id: 'from', header: 'From', cell: (r) => r.sourceIp ?? '-' },
                ]}
              />
              {query.hasNextPage && (
                <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
                  Load older records
                </Button>
              )}
            </SpaceBetween>
          );
        }}
      </QueryState>
    </SpaceBetween>
  );
}
