import Input from '@cloudscape-design/components/input';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import TextFilter from '@cloudscape-design/components/text-filter';
import { SecretStatus, secretStatusLabels, type TargetRef } from '@rotation-console/contracts';
import { useCallback } from 'react';
import { TargetFilters } from '../../../components/target-filters.tsx';
import { targetAccountIds, targetRegions } from '../../../lib/targets.ts';
import { useDebouncedText } from '../../../lib/use-debounced-text.ts';
import type { SecretsFilter } from '../hooks/use-secrets-filter.ts';

const ANY_STATUS: SelectProps.Option = { value: '', label: 'Any status' };

const statusOptions: SelectProps.Option[] = [ANY_STATUS, ...SecretStatus.options.map((status) => ({ value: status, label: secretStatusLabels[status] }))];

interface SecretsFiltersProps {
  filter: SecretsFilter;
  onChange: (change: Partial<SecretsFilter>) => void;
  /** Shown next to the name filter, e.g. "3 matches". */
  countText?: string;
  /** In a console covering several account-regions, its targets: the accounts and regions to filter by (else no such filters). */
  fleet?: readonly TargetRef[] | undefined;
}

/** Name (prefix), rotation status and team filters (and account and region in a fleet) above the Secrets table. */
export function SecretsFilters({ filter, onChange, countText, fleet }: SecretsFiltersProps) {
  const commitName = useCallback((name: string) => onChange({ name }), [onChange]);
  const commitTeam = useCallback((team: string) => onChange({ team }), [onChange]);
  const [nameText, setNameText] = useDebouncedText(filter.name, commitName);
  const [teamText, setTeamText] = useDebouncedText(filter.team, commitTeam);

  const selectedStatus = statusOptions.find((option) => option.value === (filter.status ?? '')) ?? ANY_STATUS;

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
          selectedOption={selectedStatus}
          onChange={({ detail }) => {
            const parsed = SecretStatus.safeParse(detail.selectedOption.value);
            onChange({ status: parsed.success ? parsed.data : undefined });
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
      {fleet && <TargetFilters accounts={targetAccountIds(fleet)} regions={targetRegions(fleet)} targets={fleet} filter={filter} onChange={onChange} />}
    </SpaceBetween>
  );
}
