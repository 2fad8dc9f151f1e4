import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useNavigate, useParams } from 'react-router';
import { NotFoundAlert, QueryState } from '../../../components/query-state.tsx';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { useSecretPermission } from '../../../lib/me.ts';
import { useGetSecret } from '../api/get-secret.ts';
import { RotationConfiguration } from '../components/rotation-configuration.tsx';
import { SecretDetails } from '../components/secret-details.tsx';
import { SecretTagsTable } from '../components/secret-tags-table.tsx';
import { SECRETS_PATH, secretRotationPath } from '../utils/secret-paths.ts';
import { UserText } from '../../../components/user-text.tsx';
import { VersionsTable } from '../../../components/versions-table.tsx';

/** `/secrets/:secretId`: one secret, its rotation, versions and tags; never its value. */
export function SecretDetailPage() {
  const { secretId = '' } = useParams();
  const navigate = useNavigate();
  const query = useGetSecret(secretId);
  const secret = query.data;
  const edit = useSecretPermission('workflows:start', secret);

  const breadcrumbs = (
    <Breadcrumbs
      items={[
        { text: 'Secrets', href: SECRETS_PATH },
        { text: secret?.name ?? secretId, href: '#' },
      ]}
    />
  );

  return (
    <QueryState
      query={query}
      top={breadcrumbs}
      loadingText="Loading secret"
      errorHeader="Failed to load the secret"
      notFound={<NotFoundAlert header="Secret not found" what="secret named" subject={secretId} backHref={SECRETS_PATH} backText="Back to secrets" />}
    >
      {(data) => (
    <SpaceBetween size="l">
      {breadcrumbs}
      <Header
        variant="h1"
        actions={
          <Button disabled={!edit.allowed} disabledReason={edit.reason} onClick={() => void navigate(secretRotationPath(data))}>
            Edit rotation
          </Button>
        }
      >
        <UserText text={data.name} />
      </Header>
      <SecretDetails secret={data} />
      <RotationConfiguration secret={data} />
      <VersionsTable versions={data.versions} />
      <SecretTagsTable tags={data.tags} />
    </SpaceBetween>
      )}
    </QueryState>
  );
}
