import type { Calendar, DashboardPage, DashboardSummary } from '@rotation-console/contracts';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { aCalendar, aCalendarWindow, aDashboardPage, aDashboardRow, aSummary } from './dashboard-fixtures.ts';
import { serveApi } from './server.ts';

export type Answer<T> = T | Response | ((input: { body: unknown; url: URL; secretId: string }) => T | Response);

export interface DashboardApi {
  summary?: Answer<DashboardSummary>;
  page?: Answer<DashboardPage>;
  calendar?: Answer<Calendar>;
}

/** What the dashboard pages sent, in order, for tests to assert on. */
export interface DashboardCalls {
  summaries: number;
  lists: URLSearchParams[];
  calendars: URLSearchParams[];
}

export const respond = <T>(answer: Answer<T>, input: { body: unknown; url: URL; secretId: string }, status = 200) => {
  const value = typeof answer === 'function' ? (answer as (i: typeof input) => T | Response)(input) : answer;
  // A Response given once may be served many times: serve copies, never the original.
  return value instanceof Response ? value.clone() : HttpResponse.json(value as object, { status });
};

/**
 * The API of the dashboard and the calendar, answering the happy path unless told otherwise: a fleet
 * of 1,240 secrets, one page of two rows, a calendar of three windows over two days.
 */
export const dashboardApi = (api: DashboardApi = {}): { handlers: HttpHandler[]; calls: DashboardCalls } => {
  const calls: DashboardCalls = { summaries: 0, lists: [], calendars: [] };
  const handlers: HttpHandler[] = [
    http.get('/api/v1/dashboard/summary', ({ request }) => {
      calls.summaries += 1;
      return respond(api.summary ?? aSummary(), { body: null, url: new URL(request.url), secretId: '' });
    }),
    http.get('/api/v1/dashboard/secrets', ({ request }) => {
      const url = new URL(request.url);
      calls.lists.push(url.searchParams);
      return respond(
        api.page ?? aDashboardPage([aDashboardRow(), aDashboardRow({ name: 'prod/identity/mysql', team: 'identity', engine: 'mysql', status: 'overdue' })]),
        { body: null, url, secretId: '' },
      );
    }),
    http.get('/api/v1/dashboard/calendar', ({ request }) => {
      const url = new URL(request.url);
      calls.calendars.push(url.searchParams);
      return respond(
        api.calendar ??
          aCalendar([
            aCalendarWindow('prod/payments/postgres', '2026-12-01T04:00:00.000Z'),
            aCalendarWindow('prod/identity/mysql', '2026-12-02T16:00:00.000Z', 2, 'identity'),
            aCalendarWindow('prod/payments/mysql', '2026-12-01T01:00:00.000Z'),
          ]),
        { body: null, url, secretId: '' },
      );
    }),
  ];
  return { handlers, calls };
};

/** dashboardApi(api) served for this test: what the dashboard pages send, as they send it. */
export const serveDashboardApi = (api: DashboardApi = {}): DashboardCalls => serveApi(dashboardApi(api));
