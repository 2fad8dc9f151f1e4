import FormField from '@cloudscape-design/components/form-field';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import { useSecretCheck } from '../api/check-secret.ts';
import { serverNameFilter, useMasterSecretCandidates } from '../api/list-master-secrets.ts';
import { useDebouncedValue } from '../hooks/use-debounced-value.ts';
import { masterEngineProblem } from '../utils/master-secret.ts';

export interface MasterSecretFieldProps {
  secretId: string;
  secretName: string;
  secretArn: string | undefined;
  value: string | null;
  onChange: (masterSecretId: string) => void;
  errorText: string | undefined;
}

/**
 * "Master secret": a Select over the account's secrets, filtered by name on the server. Once one is
 * chosen, the API checks it (GET /check with alternating users): a secret for another engine is refused.
 */
export function MasterSecretField({ secretId, secretName, secretArn, value, onChange, errorText }: MasterSecretFieldProps) {
  const [filterText, setFilterText] = useState('');
  const debouncedFilter = useDebouncedValue(filterText);
  const candidates = useMasterSecretCandidates(serverNameFilter(debouncedFilter));
  const check = useSecretCheck(secretId, { strategy: 'alternating-users', masterSecretId: value ?? undefined }, { enabled: value !== null });

  const needle = filterText.trim().toLowerCase();
  const options: SelectProps.Option[] = (candidates.data?.items ?? [])
    .filter((secret) => secret.name !== secretName && secret.arn !== secretArn && secret.name !== secretId)
    .filter((secret) => !needle || secret.name.toLowerCase().includes(needle))
    .map((secret) => ({ value: secret.name, label: secret.name, description: secret.description ?? undefined }));

  const engineProblem = value !== null ? masterEngineProblem(check, value) : null;
  const checking = value !== null && check.isFetching;

  return (
    <FormField
      label="Master secret"
      description="A secret whose credentials have permission to update the credentials stored in this secret. It must be for the same database engine."
      errorText={errorText ?? engineProblem ?? undefined}
      secondaryControl={checking ? <StatusIndicator type="loading">Checking the master secret</StatusIndicator> : undefined}
    >
      <Select
        selectedOption={value ? { value, label: value } : null}
        onChange={({ detail }) => {
          if (detail.selectedOption.value) onChange(detail.selectedOption.value);
        }}
        options={options}
        placeholder="Choose a secret"
        filteringType="manual"
        filteringPlaceholder="Find a secret by name"
        filteringAriaLabel="Find a secret by name"
        onLoadItems={({ detail }) => {
          setFilterText(detail.filteringText);
          if (candidates.isError) void candidates.refetch();
        }}
        statusType={candidates.isPending || candidates.isFetching ? 'loading' : candidates.isError ? 'error' : 'finished'}
        loadingText="Loading secrets"
        errorText={candidates.error?.message ?? 'Could not load the secrets.'}
        recoveryText="Retry"
        empty="No other secrets"
        noMatch="No secret starts with this name"
        selectedAriaLabel="Selected"
      />
    </FormField>
  );
}
