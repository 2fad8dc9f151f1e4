import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { applyListView, FILTER_KEYS, parseListView, type ListView } from '../utils/list-params.ts';

/**
 * The dashboard list's filters, sort and page, kept in the URL so any view can be shared. A change of
 * filter or sort goes back to page 1; typing replaces the history entry, paging adds one.
 */
export const useListView = () => {
  const [searchParams, setSearchParams] = useSearchParams();
  const view = useMemo(() => parseListView(searchParams), [searchParams]);

  const update = useCallback(
    (change: Partial<ListView>) => {
      const paging = Object.keys(change).every((key) => key === 'page');
      setSearchParams((previous) => applyListView(previous, paging ? change : { page: 1, ...change }), { replace: !paging });
    },
    [setSearchParams],
  );

  const clearFilters = useCallback(() => {
    setSearchParams((previous) => applyListView(previous, { page: 1, ...Object.fromEntries(FILTER_KEYS.map((key) => [key, undefined])) }), {
      replace: true,
    });
  }, [setSearchParams]);

  return { view, update, clearFilters };
};
