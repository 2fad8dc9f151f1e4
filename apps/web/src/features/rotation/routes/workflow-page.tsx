import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useParams } from 'react-router';
import { NotFoundAlert, QueryState, RetryButton } from '../../../components/query-state.tsx';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { useFollow } from '../../../lib/navigation.ts';
import { FUNCTION_UPDATE_WORKFLOW } from '@rotation-console/contracts';
import { FUNCTIONS_PATH, SECRETS_PATH, secretPath } from '../../../lib/paths.ts';
import { useWorkflow } from '../api/get-workflow.ts';
import { WorkflowView } from '../components/workflow-view.tsx';
import { secretNameFromSubject } from '../utils/format.ts';
import { functionNameOfArn } from '../../../lib/lambda-arn.ts';

/** `/workflows/:workflowId`: a rotation workflow as it runs, shareable; polls until it has finished. */
export function WorkflowPage() {
  const { workflowId = '' } = useParams();
  const follow = useFollow();
  const query = useWorkflow(workflowId);
  const current = query.data;

  // An update of the console's function (the Functions page) acts on a function, not on a secret.
  const ofFunction = current?.kind === FUNCTION_UPDATE_WORKFLOW;
  const breadcrumbs = (
    <Breadcrumbs
      items={
        ofFunction
          ? [
              { text: 'Functions', href: FUNCTIONS_PATH },
              { text: functionNameOfArn(current.subject), href: FUNCTIONS_PATH },
              { text: 'Update workflow', href: '#' },
            ]
          : [
              { text: 'Secrets', href: SECRETS_PATH },
              ...(current ? [{ text: secretNameFromSubject(current.subject), href: secretPath({ name: current.subject }) }] : []),
              { text: 'Rotation workflow', href: '#' },
            ]
      }
    />
  );

  return (
    <QueryState
      query={query}
      top={breadcrumbs}
      loadingText="Loading workflow"
      errorHeader="Failed to load the workflow"
      notFound={<NotFoundAlert header="Workflow not found" what="workflow" subject={workflowId} backHref={SECRETS_PATH} backText="Back to secrets" />}
    >
      {(workflow) => (
        <SpaceBetween size="l">
          {breadcrumbs}
          {workflow.kind === FUNCTION_UPDATE_WORKFLOW ? (
            <Header
              variant="h1"
              description={
                <>
                  Update of the console&rsquo;s rotation function <strong>{functionNameOfArn(workflow.subject)}</strong> to the current code.{' '}
                  <Link href={FUNCTIONS_PATH} onFollow={follow}>
                    Back to the functions
                  </Link>
                </>
              }
            >
              Update workflow
            </Header>
          ) : (
            <Header
              variant="h1"
              description={
                <>
                  Rotation of <strong>{secretNameFromSubject(workflow.subject)}</strong>.{' '}
                  <Link href={secretPath({ name: workflow.subject })} onFollow={follow}>
                    Back to the secret
                  </Link>
                </>
              }
            >
              Rotation workflow
            </Header>
          )}
          {query.isError && (
            <Alert type="warning" header="Updates stopped" action={<RetryButton query={query} />}>
              {`The last update failed: ${query.error.message}`}
            </Alert>
          )}
          <WorkflowView workflow={workflow} refreshing={query.isFetching} />
        </SpaceBetween>
      )}
    </QueryState>
  );
}
