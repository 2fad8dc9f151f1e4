import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { SecretDetail } from '@rotation-console/contracts';
import { useParams } from 'react-router';
import { isNotFound } from '../../../lib/api-error.ts';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { useFollow } from '../../../lib/navigation.ts';
import { useRotationSecret } from '../api/get-rotation-secret.ts';
import { RotationWizard } from '../components/rotation-wizard.tsx';
import { secretPagePath } from '../utils/paths.ts';

function SecretNotFound({ secretId }: { secretId: string }) {
  const follow = useFollow();
  return (
    <Alert type="error" header="Secret not found">
      <SpaceBetween size="xs">
        <span>
          No secret named <strong>{secretId}</strong> exists in this account and Region, or you are not allowed to see it.
        </span>
        <Link href="/secrets" onFollow={follow}>
          Back to secrets
        </Link>
      </SpaceBetween>
    </Alert>
  );
}

/** `/secrets/:secretId/rotation`: the console's "Edit rotation" flow as a wizard that shows its plan before it acts. */
export function RotationWizardPage() {
  const { secretId = '' } = useParams();
  const query = useRotationSecret(secretId);
  const secret: SecretDetail | undefined = query.data;

  const breadcrumbs = (
    <Breadcrumbs
      items={[
        { text: 'Secrets', href: '/secrets' },
        { text: secret?.name ?? secretId, href: secretPagePath(secretId) },
        { text: 'Edit rotation', href: '#' },
      ]}
    />
  );

  if (query.isPending) {
    return (
      <SpaceBetween size="m">
        {breadcrumbs}
        <Box padding={{ vertical: 'l' }}>
          <StatusIndicator type="loading">Loading secret</StatusIndicator>
        </Box>
      </SpaceBetween>
    );
  }

  if (query.isError) {
    return (
      <SpaceBetween size="m">
        {breadcrumbs}
        {isNotFound(query.error) ? (
          <SecretNotFound secretId={secretId} />
        ) : (
          <Alert
            type="error"
            header="Failed to load the secret"
            action={
              <Button onClick={() => void query.refetch()} loading={query.isFetching}>
                Retry
              </Button>
            }
          >
            {query.error.message}
          </Alert>
        )}
      </SpaceBetween>
    );
  }

  return (
    <SpaceBetween size="l">
      {breadcrumbs}
      <Header
        variant="h2"
        description={
          <>
            Edit rotation for <strong>{query.data.name}</strong>. Nothing changes in AWS until you choose Save on the last step.
          </>
        }
      >
        Rotation wizard
      </Header>
      <RotationWizard secretId={secretId} secret={query.data} />
    </SpaceBetween>
  );
}
