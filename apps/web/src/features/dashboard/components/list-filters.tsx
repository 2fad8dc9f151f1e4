import Input from '@cloudscape-design/components/input';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import TextFilter from '@cloudscape-design/components/text-filter';
import { isSecretStatus, SECRET_STATUSES, secretStatusLabels } from '@rotation-console/contracts/values';
import type { TargetRef } from '@rotation-console/contracts';
import { useCallback } from 'react';
import { TargetFilters } from '../../../components/target-filters.tsx';
import { useDebouncedText } from '../../../lib/use-debounced-text.ts';
import { PAGE_SIZES, type ListView } from '../utils/list-params.ts';

const ANY_STATUS: SelectProps.Option = { value: '', label: 'Any status' };
const statusOptions: SelectProps.Option[] = [ANY_STATUS, ...SECRET_STATUSES.map((status) => ({ value: status, label: secretStatusLabels[status] }))];
const pageSizeOptions: SelectProps.Option[] = PAGE_SIZES.map((size) => ({ value: String(size), label: `${size} rows` }));

interface ListFiltersProps {
  view: ListView;
  onChange: (change: Partial<ListView>) => void;
  countText?: string;
  /** In a console covering several account-regions: the accounts and regions to filter by (else no such filters). */
  fleet?: { accounts: readonly string[]; regions: readonly string[]; targets: readonly TargetRef[] } | undefined;
}

/** Name (contains), rotation status, team and engine filters (and account and region in a fleet), and the page size, above the list. */
export function ListFilters({ view, onChange, countText, fleet }: ListFiltersProps) {
  const commitName = useCallback((name: string) => onChange({ name }), [onChange]);
  const commitTeam = useCallback((team: string) => onChange({ team }), [onChange]);
  const commitEngine = useCallback((engine: string) => onChange({ engine }), [onChange]);
  const [nameText, setNameText] = useDebouncedText(view.name, commitName);
  const [teamText, setTeamText] = useDebouncedText(view.team, commitTeam);
  const [engineText, setEngineText] = useDebouncedText(view.engine, commitEngine);

  return (
    <SpaceBetween direction="horizontal" size="xs" alignItems="center">
      <TextFilter
        filteringText={nameText}
        filteringPlaceholder="Filter by secret name"
        filteringAriaLabel="Filter by secret name"
        filteringClearAriaLabel="Clear secret name filter"
        countText={countText}
        onChange={({ detail }) => setNameText(detail.filteringText)}
      />
      <div style={{ minWidth: 320 }}>
        <Select
          inlineLabelText="Rotation status"
          options={statusOptions}
          selectedOption={statusOptions.find((option) => option.value === (view.status ?? '')) ?? ANY_STATUS}
          onChange={({ detail }) => {
            const status = detail.selectedOption.value;
            onChange({ status: isSecretStatus(status) ? status : undefined });
          }}
        />
      </div>
      <Input
        inlineLabelText="Team"
        placeholder="Any team"
        type="search"
        value={teamText}
        clearAriaLabel="Clear team filter"
        onChange={({ detail }) => setTeamText(detail.value)}
      />
      <Input
        inlineLabelText="Engine"
        placeholder="Any engine"
        type="search"
        value={engineText}
        clearAriaLabel="Clear engine filter"
        onChange={({ detail }) => setEngineText(detail.value)}
      />
      {fleet && <TargetFilters accounts={fleet.accounts} regions={fleet.regions} targets={fleet.targets} filter={view} onChange={onChange} />}
      <Select
        inlineLabelText="Page size"
        options={pageSizeOptions}
        selectedOption={pageSizeOptions.find((option) => option.value === String(view.pageSize)) ?? null}
        onChange={({ detail }) => onChange({ pageSize: Number(detail.selectedOption.value) })}
      />
    </SpaceBetween>
  );
}
