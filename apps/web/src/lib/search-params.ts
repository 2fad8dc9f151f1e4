import { isAwsAccountId, isAwsRegionName } from '@rotation-console/contracts/values';

/** `previous` with each of `update`'s keys set to its value, or removed when it has none: a filter change that keeps the URL's other parameters. */
export const withSearchParams = (previous: URLSearchParams, update: Readonly<Record<string, string | undefined>>): URLSearchParams => {
  const next = new URLSearchParams(previous);
  for (const [key, value] of Object.entries(update)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return next;
};

/** The Account and Region filter a page keeps in its URL (`account`, `region`); a malformed value is ignored. */
export const targetFilterOf = (params: URLSearchParams): { account?: string; region?: string } => {
  const account = params.get('account');
  const region = params.get('region');
  return { ...(isAwsAccountId(account) ? { account } : {}), ...(isAwsRegionName(region) ? { region } : {}) };
};
