import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useParams } from 'react-router';
import { isNotFound } from '../../../lib/api-error.ts';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { useFollow } from '../../../lib/navigation.ts';
import { useWorkflow } from '../api/get-workflow.ts';
import { WorkflowView } from '../components/workflow-view.tsx';
import { secretNameFromSubject, secretPagePath } from '../utils/paths.ts';

/** `/workflows/:workflowId`: a rotation workflow as it runs, shareable; polls until it has finished. */
export function WorkflowPage() {
  const { workflowId = '' } = useParams();
  const follow = useFollow();
  const query = useWorkflow(workflowId);
  const workflow = query.data;

  const breadcrumbs = (
    <Breadcrumbs
      items={[
        { text: 'Secrets', href: '/secrets' },
        ...(workflow ? [{ text: secretNameFromSubject(workflow.subject), href: secretPagePath(workflow.subject) }] : []),
        { text: 'Rotation workflow', href: '#' },
      ]}
    />
  );

  if (query.isPending) {
    return (
      <SpaceBetween size="m">
        {breadcrumbs}
        <Box padding={{ vertical: 'l' }}>
          <StatusIndicator type="loading">Loading workflow</StatusIndicator>
        </Box>
      </SpaceBetween>
    );
  }

  if (!workflow) {
    return (
      <SpaceBetween size="m">
        {breadcrumbs}
        {isNotFound(query.error) ? (
          <Alert type="error" header="Workflow not found">
            <SpaceBetween size="xs">
              <span>
                No workflow <strong>{workflowId}</strong> exists, or you are not allowed to see it.
              </span>
              <Link href="/secrets" onFollow={follow}>
                Back to secrets
              </Link>
            </SpaceBetween>
          </Alert>
        ) : (
          <Alert
            type="error"
            header="Failed to load the workflow"
            action={
              <Button onClick={() => void query.refetch()} loading={query.isFetching}>
                Retry
              </Button>
            }
          >
            {query.error?.message}
          </Alert>
        )}
      </SpaceBetween>
    );
  }

  return (
    <SpaceBetween size="l">
      {breadcrumbs}
      <Header
        variant="h1"
        description={
          <>
            Rotation of <strong>{secretNameFromSubject(workflow.subject)}</strong>.{' '}
            <Link href={secretPagePath(workflow.subject)} onFollow={follow}>
              Back to the secret
            </Link>
          </>
        }
      >
        Rotation workflow
      </Header>
      {query.isError && (
        <Alert
          type="warning"
          header="Updates stopped"
          action={
            <Button onClick={() => void query.refetch()} loading={query.isFetching}>
              Retry
            </Button>
          }
        >
          {`The last update failed: ${query.error.message}`}
        </Alert>
      )}
      <WorkflowView workflow={workflow} refreshing={query.isFetching} />
    </SpaceBetween>
  );
}
