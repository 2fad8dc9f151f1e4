import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useNavigate, useParams } from 'react-router';
import { isNotFound } from '../../../lib/api-error.ts';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { useFollow } from '../../../lib/navigation.ts';
import { useGetSecret } from '../api/get-secret.ts';
import { RotationConfiguration } from '../components/rotation-configuration.tsx';
import { SecretDetails } from '../components/secret-details.tsx';
import { SecretTagsTable } from '../components/secret-tags-table.tsx';
import { SecretVersionsTable } from '../components/secret-versions-table.tsx';
import { SECRETS_PATH, secretRotationPath } from '../utils/secret-paths.ts';

function SecretNotFound({ secretId }: { secretId: string }) {
  const follow = useFollow();
  return (
    <Alert type="error" header="Secret not found">
      <SpaceBetween size="xs">
        <span>
          No secret named <strong>{secretId}</strong> exists in this account and Region, or you are not allowed to see it.
        </span>
        <Link href={SECRETS_PATH} onFollow={follow}>
          Back to secrets
        </Link>
      </SpaceBetween>
    </Alert>
  );
}

/** `/secrets/:secretId`: one secret, its rotation, versions and tags; never its value. */
export function SecretDetailPage() {
  const { secretId = '' } = useParams();
  const navigate = useNavigate();
  const query = useGetSecret(secretId);
  const secret = query.data;

  const breadcrumbs = (
    <Breadcrumbs
      items={[
        { text: 'Secrets', href: SECRETS_PATH },
        { text: secret?.name ?? secretId, href: '#' },
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
        variant="h1"
        actions={<Button onClick={() => void navigate(secretRotationPath(query.data))}>Edit rotation</Button>}
      >
        {query.data.name}
      </Header>
      <SecretDetails secret={query.data} />
      <RotationConfiguration secret={query.data} />
      <SecretVersionsTable versions={query.data.versions} />
      <SecretTagsTable tags={query.data.tags} />
    </SpaceBetween>
  );
}
