import { Calendar } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

export interface CalendarFilter {
  /** ISO date-time the range starts at; the API starts now when it is missing. */
  from?: string;
  days: number;
  team?: string;
  /** In a console covering several account-regions: one account's, one region's windows. */
  account?: string;
  region?: string;
}

/** The rotation windows across the fleet in a date range (at most 2000). */
export const fetchCalendar = (filter: CalendarFilter, signal?: AbortSignal): Promise<Calendar> =>
  apiGet('/api/v1/dashboard/calendar', Calendar, {
    query: { from: filter.from, days: filter.days, team: filter.team, account: filter.account, region: filter.region },
    signal,
  });

export const calendarQueryOptions = (filter: CalendarFilter) =>
  queryOptions({
    queryKey: ['dashboard', 'calendar', { filter }] as const,
    queryFn: ({ signal }) => fetchCalendar(filter, signal),
  });

export const useCalendar = (filter: CalendarFilter) => useQuery(calendarQueryOptions(filter));
