import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { applyListView, FILTER_KEYS, parseListView, type ListView } from '../utils/list-params.ts';

/**
 * The dashboard list's filters, sort and page, kept in the URL so any view can be shared. A change of
 * filter or sort goes back to page 1; typing replaces the history entry, paging adds one.
 */
export const useListView = () => {
  const [searchParams, setSearchParams] = useSearchParams();
  const view = useMemo(() => parseListView(searchParams), [searchParams]);
  // The URL as last written: two changes before the next render (a debounced filter landing right
  // after another) both count. react-router's functional update would read the last render's URL.
  const latest = useRef(searchParams);
  useEffect(() => {
    latest.current = searchParams;
  }, [searchParams]);

  const write = useCallback(
    (change: Partial<ListView>, replace: boolean) => {
      const next = applyListView(latest.current, change);
      latest.current = next;
      setSearchParams(next, { replace });
    },
    [setSearchParams],
  );

  const update = useCallback(
    (change: Partial<ListView>) => {
      const paging = Object.keys(change).every((key) => key === 'page');
      write(paging ? change : { page: 1, ...change }, !paging);
    },
    [write],
  );

  const clearFilters = useCallback(() => {
    write({ page: 1, ...Object.fromEntries(FILTER_KEYS.map((key) => [key, undefined])) }, true);
  }, [write]);

  return { view, update, clearFilters };
};
