import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { RotationFunctionRow } from '@rotation-console/contracts';
import { lazy, Suspense, useState } from 'react';
import { useSearchParams } from 'react-router';
import { FreshnessLine } from '../../../components/freshness-line.tsx';
import { QueryErrorAlert } from '../../../components/query-state.tsx';
import { TargetName } from '../../../components/target-columns.tsx';
import { TargetFilters, type TargetFilter } from '../../../components/target-filters.tsx';
import { UserText } from '../../../components/user-text.tsx';
import { targetFilterOf, withSearchParams } from '../../../lib/search-params.ts';
import { isFleet, targetAccountIds, targetRegions } from '../../../lib/targets.ts';
import { useKnownTargets } from '../../../lib/use-known-targets.ts';
import { useFunctions } from '../api/list-functions.ts';
import { FunctionsTable } from '../components/functions-table.tsx';

// The update dialog is its own chunk: it loads when Update is chosen.
const UpdateModal = lazy(() => import('../components/update-modal.tsx'));

/**
 * `/functions`: every rotation function the console sees across its account-regions, with its
 * runtime's end of life, its owner, the secrets it rotates and how their last rotations went, and
 * for the console's own function whether it runs the current code, with Update when it does not.
 */
export function FunctionsPage() {
  const [params, setParams] = useSearchParams();
  const place = targetFilterOf(params);
  const query = useFunctions(place);
  const targets = useKnownTargets(query.data?.freshness.targets);
  const [updating, setUpdating] = useState<{ row: RotationFunctionRow; opening: number } | null>(null);
  const failed = query.data?.targets.filter((target) => target.state === 'failed') ?? [];

  const change = (update: TargetFilter) => setParams((previous) => withSearchParams(previous, { ...update }));

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={
          <>
            The Lambda functions that rotate secrets in the accounts and Regions the console covers: their runtimes and end of life, owners, the secrets they
            rotate and how the last rotations went. Lambda is asked at most once a minute; the secrets and outcomes come from the console&rsquo;s index.
            <br />
            <FreshnessLine freshness={query.data?.freshness} />
          </>
        }
      >
        Functions
      </Header>
      {query.isError && <QueryErrorAlert query={query} header="Failed to load the functions" />}
      {failed.length > 0 && (
        <Alert type="warning" header={`Lambda did not answer for ${failed.length === 1 ? '1 account-region' : `${failed.length} account-regions`}`}>
          <SpaceBetween size="xxs">
            {failed.map((target) => (
              <span key={`${target.accountId}/${target.region}`}>
                <TargetName target={target} />: <UserText text={target.error ?? 'no reason given'} />
              </span>
            ))}
          </SpaceBetween>
        </Alert>
      )}
      <FunctionsTable
        items={query.data?.items ?? []}
        targets={targets ?? []}
        loading={query.isPending}
        onUpdate={(row) => setUpdating((previous) => ({ row, opening: (previous?.opening ?? 0) + 1 }))}
        filter={
          targets && isFleet(targets) ? (
            <TargetFilters accounts={targetAccountIds(targets)} regions={targetRegions(targets)} targets={targets} filter={place} onChange={change} />
          ) : null
        }
      />
      {updating && (
        <Suspense fallback={null}>
          <UpdateModal key={updating.opening} functionArn={updating.row.arn} functionName={updating.row.name} onDismiss={() => setUpdating(null)} />
        </Suspense>
      )}
    </SpaceBetween>
  );
}
