import { AwsAccountId, AwsRegionName, SecretStatus } from '@rotation-console/contracts';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/** The Secrets page's filters; they live in the URL so a filtered view can be shared. */
export interface SecretsFilter {
  name?: string;
  status?: SecretStatus;
  team?: string;
  /** A 12-digit account id, and a region: filters of a console covering several account-regions. */
  account?: string;
  region?: string;
}

const FILTER_KEYS = ['name', 'status', 'team', 'account', 'region'] as const;

const text = (value: string | null): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

export const parseSecretsFilter = (params: URLSearchParams): SecretsFilter => {
  const status = SecretStatus.safeParse(params.get('status'));
  const account = AwsAccountId.safeParse(params.get('account'));
  const region = AwsRegionName.safeParse(params.get('region'));
  return {
    name: text(params.get('name')),
    status: status.success ? status.data : undefined,
    team: text(params.get('team')),
    account: account.success ? account.data : undefined,
    region: region.success ? region.data : undefined,
  };
};

export const hasFilters = (filter: SecretsFilter): boolean => FILTER_KEYS.some((key) => filter[key] !== undefined);

/** Reads the filters from the URL and writes changes back (replacing the history entry while typing). */
export const useSecretsFilter = () => {
  const [searchParams, setSearchParams] = useSearchParams();
  const filter = useMemo(() => parseSecretsFilter(searchParams), [searchParams]);

  const updateFilter = useCallback(
    (change: Partial<SecretsFilter>) => {
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const key of FILTER_KEYS) {
            if (!(key in change)) continue;
            const value = text(change[key] ?? null);
            if (value === undefined) next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );

  const clearFilters = useCallback(() => {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const key of FILTER_KEYS) next.delete(key);
        return next;
      },
      { replace: true },
    );
  }, [setSearchParams]);

  return { filter, updateFilter, clearFilters };
};
