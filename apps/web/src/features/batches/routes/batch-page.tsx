import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useParams } from 'react-router';
import { NotFoundAlert, QueryState, RetryButton } from '../../../components/query-state.tsx';
import { BATCHES_PATH } from '../../../lib/paths.ts';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { useBatch } from '../api/get-batch.ts';
import { BatchView } from '../components/batch-view.tsx';

/** `/batches/:batchId`: a batch as it runs, shareable; polls until every secret's workflow has ended. */
export function BatchPage() {
  const { batchId = '' } = useParams();
  const query = useBatch(batchId);
  const breadcrumbs = (
    <Breadcrumbs
      items={[
        { text: 'Batches', href: BATCHES_PATH },
        { text: 'Batch', href: '#' },
      ]}
    />
  );
  return (
    <QueryState
      query={query}
      top={breadcrumbs}
      loadingText="Loading batch"
      errorHeader="Failed to load the batch"
      notFound={<NotFoundAlert header="Batch not found" what="batch" subject={batchId} backHref={BATCHES_PATH} backText="Back to batches" />}
    >
      {(batch) => (
        <SpaceBetween size="l">
          {breadcrumbs}
          <Header variant="h1" description={batch.summary}>
            Batch
          </Header>
          {query.isError && (
            <Alert type="warning" header="Updates stopped" action={<RetryButton query={query} />}>
              {`The last update failed: ${query.error.message}`}
            </Alert>
          )}
          <BatchView batch={batch} refreshing={query.isFetching} />
        </SpaceBetween>
      )}
    </QueryState>
  );
}
