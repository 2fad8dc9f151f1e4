import type { QueryClient } from '@tanstack/react-query';
import { dashboardSecretsQueryOptions } from '../features/dashboard/api/list-dashboard-secrets.ts';
import { dashboardSummaryQueryOptions } from '../features/dashboard/api/get-dashboard-summary.ts';
import { parseListView, toListQuery } from '../features/dashboard/utils/list-params.ts';
import { meQueryOptions } from '../lib/me.ts';
import { DASHBOARD_PATH } from '../lib/paths.ts';

/** How long the first render waits for the first page's data; after that it draws with spinners. */
export const FIRST_DATA_WAIT_MS = 300;

/**
 * Asks for the data the first page draws with, before the first render: who the person is (every page's
 * layout) and, on the landing page (/ and /dashboard), the summary and the list as the URL shows it.
 * index.html preloads the same URLs, so the answers are usually in by the time the JavaScript runs; the
 * first render then draws the chrome with the person's menu and the page with its data, instead of a
 * render with spinners and another when each answer lands. Resolves when all have answered (failed or
 * not: the page's own queries show the error) or after FIRST_DATA_WAIT_MS, whichever comes first.
 */
export const loadFirstData = (queryClient: QueryClient, location: Pick<Location, 'pathname' | 'search'>): Promise<void> => {
  const requests = [queryClient.prefetchQuery(meQueryOptions)];
  if (location.pathname === '/' || location.pathname === DASHBOARD_PATH) {
    const view = parseListView(new URLSearchParams(location.search));
    requests.push(queryClient.prefetchQuery(dashboardSummaryQueryOptions()), queryClient.prefetchQuery(dashboardSecretsQueryOptions(toListQuery(view))));
  }
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, FIRST_DATA_WAIT_MS);
    void Promise.all(requests).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
};
