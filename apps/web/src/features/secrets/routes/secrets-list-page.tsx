import Alert from '@cloudscape-design/components/alert';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useListSecrets } from '../api/list-secrets.ts';
import { useRefreshSecretsPage } from '../api/refresh-secrets.ts';
import { SecretsFilters } from '../components/secrets-filters.tsx';
import { SecretsTable } from '../components/secrets-table.tsx';
import { useCursorPages } from '../hooks/use-cursor-pages.ts';
import { hasFilters, useSecretsFilter } from '../hooks/use-secrets-filter.ts';
import { useKnownTargets } from '../../../lib/use-known-targets.ts';
import { isFleet } from '../../../lib/targets.ts';

/** `/secrets`: the filtered, paged list of secrets, from the console's index, with Refresh for the page in view. */
export function SecretsListPage() {
  const { filter, updateFilter, clearFilters } = useSecretsFilter();
  const pages = useCursorPages(JSON.stringify([filter.name, filter.status, filter.team, filter.account, filter.region]));
  const pageFilter = { ...filter, cursor: pages.cursor };
  const query = useListSecrets(pageFilter);
  const refresh = useRefreshSecretsPage();
  const targets = useKnownTargets(query.data?.freshness.targets);

  const nextCursor = query.data?.nextCursor ?? null;
  const hasNextPage = nextCursor !== null;

  return (
    <SpaceBetween size="m">
      {refresh.isError && (
        <Alert type="error" header="Failed to refresh secrets from AWS" dismissible onDismiss={() => refresh.reset()}>
          {refresh.error.message}
        </Alert>
      )}
      <SecretsTable
        query={query}
        filtered={hasFilters(filter)}
        onClearFilters={clearFilters}
        onRefresh={() => refresh.mutate(pageFilter)}
        refreshing={refresh.isPending}
        targets={targets}
        filter={<SecretsFilters filter={filter} onChange={updateFilter} fleet={isFleet(targets) ? targets : undefined} />}
        pagination={
          <Pagination
            openEnd={hasNextPage}
            currentPageIndex={pages.pageIndex}
            pagesCount={Math.max(pages.knownPages, pages.pageIndex)}
            disabled={query.isPending}
            ariaLabels={{
              nextPageLabel: 'Next page',
              previousPageLabel: 'Previous page',
              pageLabel: (pageNumber) => `Page ${pageNumber}`,
              paginationLabel: 'Secrets pages',
            }}
            onChange={({ detail }) => {
              // Cloudscape reports every click (arrows and page numbers) here.
              const requested = detail.currentPageIndex;
              if (requested === pages.pageIndex + 1 && nextCursor !== null) pages.goToNextPage(nextCursor);
              else pages.goToPage(requested);
            }}
          />
        }
      />
    </SpaceBetween>
  );
}
