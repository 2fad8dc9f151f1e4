import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { isAwsAccountId, isAwsRegionName } from '@rotation-console/contracts/values';

/** How many days the calendar can show at once (the API allows 1-62). */
export const CALENDAR_DAYS = [7, 14, 31, 62] as const;
export const DEFAULT_CALENDAR_DAYS = 31;

export interface CalendarView {
  team?: string;
  days: number;
  /** A 12-digit account id and a region, in a console covering several account-regions (a malformed one is ignored). */
  account?: string;
  region?: string;
}

/** The calendar's team and range, kept in the URL. */
export const useCalendarView = () => {
  const [searchParams, setSearchParams] = useSearchParams();
  const view = useMemo<CalendarView>(() => {
    const team = searchParams.get('team')?.trim();
    const days = Number(searchParams.get('days'));
    const account = searchParams.get('account');
    const region = searchParams.get('region');
    return {
      team: team || undefined,
      days: CALENDAR_DAYS.find((option) => option === days) ?? DEFAULT_CALENDAR_DAYS,
      account: isAwsAccountId(account) ? account : undefined,
      region: isAwsRegionName(region) ? region : undefined,
    };
  }, [searchParams]);

  // The URL as last written, so two changes before the next render both count.
  const latest = useRef(searchParams);
  useEffect(() => {
    latest.current = searchParams;
  }, [searchParams]);

  const update = useCallback(
    (change: Partial<CalendarView>) => {
      setSearchParams(
        () => {
          const next = new URLSearchParams(latest.current);
          if ('team' in change) {
            const team = change.team?.trim();
            if (team) next.set('team', team);
            else next.delete('team');
          }
          for (const key of ['account', 'region'] as const) {
            if (!(key in change)) continue;
            const value = change[key];
            if (value) next.set(key, value);
            else next.delete(key);
          }
          if (change.days !== undefined) {
            if (change.days === DEFAULT_CALENDAR_DAYS) next.delete('days');
            else next.set('days', String(change.days));
          }
          latest.current = next;
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );

  return { view, update };
};
