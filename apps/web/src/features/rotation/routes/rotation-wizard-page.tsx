import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { SecretDetail } from '@rotation-console/contracts';
import { useParams } from 'react-router';
import { NotFoundAlert, QueryState } from '../../../components/query-state.tsx';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { useSecretPermission } from '../../../lib/me.ts';
import { useRotationSecret } from '../api/get-rotation-secret.ts';
import { RotationWizard } from '../components/rotation-wizard.tsx';
import { secretPagePath } from '../utils/paths.ts';


/** `/secrets/:secretId/rotation`: the console's "Edit rotation" flow as a wizard that shows its plan before it acts. */
export function RotationWizardPage() {
  const { secretId = '' } = useParams();
  const query = useRotationSecret(secretId);
  const secret: SecretDetail | undefined = query.data;
  const change = useSecretPermission('workflows:start', secret);

  const breadcrumbs = (
    <Breadcrumbs
      items={[
        { text: 'Secrets', href: '/secrets' },
        { text: secret?.name ?? secretId, href: secretPagePath(secretId) },
        { text: 'Edit rotation', href: '#' },
      ]}
    />
  );

  return (
    <QueryState
      query={query}
      top={breadcrumbs}
      loadingText="Loading secret"
      errorHeader="Failed to load the secret"
      notFound={<NotFoundAlert header="Secret not found" what="secret named" subject={secretId} backHref="/secrets" backText="Back to secrets" />}
    >
      {(data) => (
    <SpaceBetween size="l">
      {breadcrumbs}
      <Header
        variant="h2"
        description={
          <>
            Edit rotation for <strong>{data.name}</strong>. Nothing changes in AWS until you choose Save on the last step.
          </>
        }
      >
        Rotation wizard
      </Header>
      {change.allowed ? (
        <RotationWizard secretId={secretId} secret={data} />
      ) : (
        <Alert type="warning" header="You cannot change this secret's rotation">
          {change.reason}
        </Alert>
      )}
    </SpaceBetween>
      )}
    </QueryState>
  );
}
