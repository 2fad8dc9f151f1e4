import type { DashboardListQuery, DashboardSort, SecretStatus } from '@rotation-console/contracts';
import { DASHBOARD_MAX_PAGE, isAwsAccountId, isAwsRegionName, isDashboardSort, isSecretStatus } from '@rotation-console/contracts/values';

/** Rows a page can hold; the server pages, so even 10,000 secrets render 25-100 rows at a time. */
export const PAGE_SIZES = [25, 50, DASHBOARD_MAX_PAGE] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** The list's view as the URL holds it: filters, sort, page (1-based) and page size. */
export interface ListView {
  name?: string;
  status?: SecretStatus;
  team?: string;
  engine?: string;
  /** A 12-digit account id, and a region: filters of a console covering several account-regions. */
  account?: string;
  region?: string;
  sort: DashboardSort;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export const FILTER_KEYS = ['name', 'status', 'team', 'engine', 'account', 'region'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type ListFilter = Pick<ListView, FilterKey>;

const VIEW_KEYS = [...FILTER_KEYS, 'sort', 'order', 'page', 'pageSize'] as const;

const text = (value: string | null): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

const wholeNumber = (value: string | null): number | undefined => {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
};

/** Reads the view from the URL; anything unknown or out of range falls back to the default. */
export const parseListView = (params: URLSearchParams): ListView => {
  const status = params.get('status');
  const sort = params.get('sort');
  const pageSize = wholeNumber(params.get('pageSize'));
  const page = wholeNumber(params.get('page'));
  const account = params.get('account');
  const region = params.get('region');
  return {
    name: text(params.get('name')),
    status: isSecretStatus(status) ? status : undefined,
    team: text(params.get('team')),
    engine: text(params.get('engine')),
    account: isAwsAccountId(account) ? account : undefined,
    region: isAwsRegionName(region) ? region : undefined,
    sort: isDashboardSort(sort) ? sort : 'name',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    page: page !== undefined && page >= 1 ? page : 1,
    pageSize: PAGE_SIZES.find((size) => size === pageSize) ?? DEFAULT_PAGE_SIZE,
  };
};

/** Writes a view change into the URL's parameters; defaults are left out so shared links stay short. */
export const applyListView = (previous: URLSearchParams, change: Partial<ListView>): URLSearchParams => {
  const next = new URLSearchParams(previous);
  for (const key of VIEW_KEYS) {
    if (!(key in change)) continue;
    const value = change[key];
    const isDefault =
      value === undefined ||
      value === '' ||
      (key === 'sort' && value === 'name') ||
      (key === 'order' && value === 'asc') ||
      (key === 'page' && value === 1) ||
      (key === 'pageSize' && value === DEFAULT_PAGE_SIZE);
    if (isDefault) next.delete(key);
    else next.set(key, String(typeof value === 'string' ? value.trim() : value));
  }
  return next;
};

export const hasFilters = (view: ListView): boolean => FILTER_KEYS.some((key) => view[key] !== undefined);

/** The API query for the view: offset and limit from the page. */
export const toListQuery = (view: ListView): DashboardListQuery => ({
  offset: (view.page - 1) * view.pageSize,
  limit: view.pageSize,
  sort: view.sort,
  order: view.order,
  ...(view.name ? { name: view.name } : {}),
  ...(view.status ? { status: view.status } : {}),
  ...(view.team ? { team: view.team } : {}),
  ...(view.engine ? { engine: view.engine } : {}),
  ...(view.account ? { account: view.account } : {}),
  ...(view.region ? { region: view.region } : {}),
});

/** The filters and sort of the view, for the CSV export (no paging). */
export const toExportQuery = (view: ListView): Record<string, string | undefined> => ({
  name: view.name,
  status: view.status,
  team: view.team,
  engine: view.engine,
  account: view.account,
  region: view.region,
  sort: view.sort,
  order: view.order,
});
