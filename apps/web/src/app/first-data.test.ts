import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { dashboardSecretsQueryOptions } from '../features/dashboard/api/list-dashboard-secrets.ts';
import { dashboardSummaryQueryOptions } from '../features/dashboard/api/get-dashboard-summary.ts';
import { meQueryOptions } from '../lib/me.ts';
import { createQueryClient } from '../lib/query-client.ts';
import { dashboardApi } from '../test/dashboard-handlers.ts';
import { server } from '../test/server.ts';
import { FIRST_DATA_WAIT_MS, loadFirstData } from './first-data.ts';

const firstPageQuery = { offset: 0, limit: 25, sort: 'name', order: 'asc' } as const;

describe('The first render waits for the first page data', () => {
  it('When the landing page opens, then who the person is, the summary and the first page are in the cache before the first render', async () => {
    // Arrange
    const { handlers, calls } = dashboardApi();
    server.use(...handlers);
    const queryClient = createQueryClient({ retry: false });

    // Act
    await loadFirstData(queryClient, { pathname: '/dashboard', search: '' });

    // Assert
    expect(queryClient.getQueryData(meQueryOptions.queryKey)).toMatchObject({ name: expect.any(String) });
    expect(queryClient.getQueryData(dashboardSummaryQueryOptions().queryKey)).toMatchObject({ total: 1240 });
    expect(queryClient.getQueryData(dashboardSecretsQueryOptions(firstPageQuery).queryKey)).toMatchObject({ total: expect.any(Number) });
    expect(calls.summaries).toBe(1);
    expect(calls.lists.map((params) => params.toString())).toEqual(['offset=0&limit=25&sort=name&order=asc']);
  });

  it('When the dashboard opens with filters in the URL, then the first page asked for is the filtered one', async () => {
    // Arrange
    const { handlers, calls } = dashboardApi();
    server.use(...handlers);

    // Act
    await loadFirstData(createQueryClient({ retry: false }), { pathname: '/dashboard', search: '?status=overdue&team=payments' });

    // Assert
    expect(calls.lists).toHaveLength(1);
    expect(calls.lists[0]!.get('status')).toBe('overdue');
    expect(calls.lists[0]!.get('team')).toBe('payments');
  });

  it('When another page opens, then only who the person is is asked for', async () => {
    // Arrange
    const { handlers, calls } = dashboardApi();
    server.use(...handlers);
    const queryClient = createQueryClient({ retry: false });

    // Act
    await loadFirstData(queryClient, { pathname: '/calendar', search: '' });

    // Assert
    expect(queryClient.getQueryData(meQueryOptions.queryKey)).toBeDefined();
    expect(calls.summaries).toBe(0);
    expect(calls.lists).toHaveLength(0);
  });

  it('When the API is slow, then the page is drawn after FIRST_DATA_WAIT_MS with what has arrived, and the rest lands later', async () => {
    // Arrange
    server.use(...dashboardApi().handlers);
    server.use(
      http.get('/api/v1/dashboard/summary', async () => {
        await delay(FIRST_DATA_WAIT_MS * 4);
        return HttpResponse.json({});
      }),
    );
    const queryClient = createQueryClient({ retry: false });
    const started = performance.now();

    // Act
    await loadFirstData(queryClient, { pathname: '/dashboard', search: '' });

    // Assert
    expect(performance.now() - started).toBeLessThan(FIRST_DATA_WAIT_MS * 3);
    expect(queryClient.getQueryData(dashboardSummaryQueryOptions().queryKey)).toBeUndefined();
    expect(queryClient.getQueryData(meQueryOptions.queryKey)).toBeDefined();
  });

  it('When a request fails, then the first render is not held up and the page is left to show the error', async () => {
    // Arrange
    server.use(...dashboardApi().handlers);
    server.use(http.get('/api/v1/dashboard/summary', () => HttpResponse.json({ code: 'internal', message: 'Internal error' }, { status: 500 })));
    const queryClient = createQueryClient({ retry: false });

    // Act
    await loadFirstData(queryClient, { pathname: '/dashboard', search: '' });

    // Assert
    expect(queryClient.getQueryState(dashboardSummaryQueryOptions().queryKey)?.status).toBe('error');
  });
});
