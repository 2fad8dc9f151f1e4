import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { apiUrl } from '../api-client.ts';

/** GET /api/v1/index/changes as server-sent events: the API says when the index changed, never what. */
export const INDEX_CHANGES_PATH = '/api/v1/index/changes';

/** What the pages read from the index: the dashboard, the portal, the Secrets list, a secret's page and timeline. */
export const INDEX_QUERY_KEYS = [['dashboard'], ['portal'], ['secrets', 'list'], ['secrets', 'detail'], ['secrets', 'timeline']] as const;

/**
 * Keeps the pages that read the index current without a reload: while mounted, it listens to the
 * index's changes (a rotation event applied, a crawl, a workflow) and has the queries above read
 * again. EventSource reconnects by itself after a dropped connection (the API asks for 3 s); on each
 * (re)connection the queries are read again too, since a change may have come while it was away.
 * Shared by the dashboard, the portal and a secret's page, so it lives here rather than in a feature.
 */
export const useIndexChanges = (): void => {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(apiUrl(INDEX_CHANGES_PATH), { withCredentials: true });
    let opened = false;
    const refresh = () => {
      for (const queryKey of INDEX_QUERY_KEYS) void queryClient.invalidateQueries({ queryKey: [...queryKey] });
    };
    source.addEventListener('index-changed', refresh);
    source.addEventListener('open', () => {
      // The first open finds the pages just read; a reconnection may have missed a change.
      if (opened) refresh();
      opened = true;
    });
    return () => source.close();
  }, [queryClient]);
};
