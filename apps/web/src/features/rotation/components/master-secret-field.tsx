import FormField from '@cloudscape-design/components/form-field';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { DatabaseRef } from '@rotation-console/contracts';
import { useState } from 'react';
import { useSecretCheck } from '../api/check-secret.ts';
import { serverNameFilter, useMasterSecretCandidates } from '../api/list-master-secret-candidates.ts';
import { useDebouncedValue } from '../hooks/use-debounced-value.ts';
import { masterEngineProblem } from '../utils/master-secret.ts';

export interface MasterSecretFieldProps {
  secretId: string;
  value: string | null;
  onChange: (masterSecretId: string) => void;
  errorText: string | undefined;
}

/** "orders-db.abc.rds.amazonaws.com:5432", or the host alone when the secret leaves the port to the engine's default. */
const hostWords = (database: DatabaseRef) => (database.port === null ? database.host : `${database.host}:${database.port}`);

/**
 * "Master secret": a Select over the secrets the API offers for this secret (the ones the caller may
 * use whose value names the same engine, host and port), filtered by name on the server, each shown
 * with its engine and host. Once one is chosen, the API checks it (GET /check with alternating users).
 */
export function MasterSecretField({ secretId, value, onChange, errorText }: MasterSecretFieldProps) {
  const [filterText, setFilterText] = useState('');
  const debouncedFilter = useDebouncedValue(filterText);
  const candidates = useMasterSecretCandidates(secretId, serverNameFilter(debouncedFilter));
  const check = useSecretCheck(secretId, { strategy: 'alternating-users', masterSecretId: value ?? undefined }, { enabled: value !== null });

  const needle = filterText.trim().toLowerCase();
  const options: SelectProps.Option[] = (candidates.data?.items ?? [])
    .filter((secret) => !needle || secret.name.toLowerCase().includes(needle))
    .map((secret) => ({
      value: secret.name,
      label: secret.name,
      description: secret.description ?? undefined,
      tags: [`Engine: ${secret.database.engine}`, `Host: ${hostWords(secret.database)}`],
    }));

  const database = candidates.data?.database;
  const engineProblem = value !== null ? masterEngineProblem(check, value) : null;
  const checking = value !== null && check.isFetching;

  return (
    <FormField
      label="Master secret"
      description={
        database
          ? `A secret whose credentials have permission to update the credentials stored in this secret. Offered: the secrets you may use for the same database, engine ${database.engine} on ${hostWords(database)}.`
          : 'A secret whose credentials have permission to update the credentials stored in this secret, for the same database engine and host.'
      }
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
        finishedText={candidates.data?.truncated ? 'More secrets start with this name than were read: type more of the name.' : undefined}
        empty={
          database === null
            ? 'This secret names no engine and host, so no master secret matches it. Fix the secret first.'
            : 'No secret you may use is for the same database'
        }
        noMatch="No secret for the same database starts with this name"
        selectedAriaLabel="Selected"
      />
    </FormField>
  );
}
