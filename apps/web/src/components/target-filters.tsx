import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { TargetRef } from '@rotation-console/contracts';
import { accountLabel } from '../lib/targets.ts';

const ANY_ACCOUNT: SelectProps.Option = { value: '', label: 'Any account' };
const ANY_REGION: SelectProps.Option = { value: '', label: 'Any region' };

/** The choices, with the one chosen kept even when the choices no longer hold it (a shared link). */
const withChosen = (values: readonly string[], chosen: string | undefined): readonly string[] =>
  chosen && !values.includes(chosen) ? [...values, chosen] : values;

export interface TargetFilter {
  account?: string;
  region?: string;
}

interface TargetFiltersProps {
  /** The account ids and the regions to choose from. */
  accounts: readonly string[];
  regions: readonly string[];
  /** The targets, for the accounts' names. */
  targets: readonly TargetRef[] | undefined;
  filter: TargetFilter;
  onChange: (change: TargetFilter) => void;
}

/**
 * The Account and Region filters of a list of secrets (the dashboard's list and the Secrets list) in a
 * console that covers several account-regions: "Any account" or one, "Any region" or one.
 */
export function TargetFilters({ accounts, regions, targets, filter, onChange }: TargetFiltersProps) {
  const accountOptions: SelectProps.Option[] = [
    ANY_ACCOUNT,
    ...withChosen(accounts, filter.account).map((id) => ({ value: id, label: accountLabel(id, targets) })),
  ];
  const regionOptions: SelectProps.Option[] = [ANY_REGION, ...withChosen(regions, filter.region).map((region) => ({ value: region, label: region }))];
  return (
    <SpaceBetween direction="horizontal" size="xs" alignItems="center">
      <div style={{ minWidth: 300 }}>
        <Select
          inlineLabelText="Account"
          options={accountOptions}
          // An organization may have hundreds of accounts: typing finds one by name or id.
          filteringType="auto"
          filteringPlaceholder="Find an account"
          filteringAriaLabel="Find an account"
          selectedOption={accountOptions.find((option) => option.value === (filter.account ?? '')) ?? ANY_ACCOUNT}
          onChange={({ detail }) => onChange({ account: detail.selectedOption.value || undefined })}
        />
      </div>
      <div style={{ minWidth: 200 }}>
        <Select
          inlineLabelText="Region"
          options={regionOptions}
          selectedOption={regionOptions.find((option) => option.value === (filter.region ?? '')) ?? ANY_REGION}
          onChange={({ detail }) => onChange({ region: detail.selectedOption.value || undefined })}
        />
      </div>
    </SpaceBetween>
  );
}
