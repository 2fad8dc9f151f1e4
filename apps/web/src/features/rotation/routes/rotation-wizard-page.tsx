import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { PortalTeam, SecretDetail } from '@rotation-console/contracts';
import { useParams, useSearchParams } from 'react-router';
import { NotFoundAlert, QueryState } from '../../../components/query-state.tsx';
import { useTeamSettings } from '../../../lib/api/get-portal.ts';
import { useGetSecret } from '../../../lib/api/get-secret.ts';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { useSecretPermission } from '../../../lib/me.ts';
import { SECRETS_PATH, secretPath } from '../../../lib/paths.ts';
import { defaultsInWords } from '../../../lib/team-defaults.ts';
import { RotationWizard } from '../components/rotation-wizard.tsx';

/** What the wizard was filled in with, from the team portal's "Enable rotation". */
function TeamDefaultsNote({ team }: { team: PortalTeam }) {
  const words = defaultsInWords(team.defaults).map((item) => `${item.label}: ${item.value}`);
  return (
    <Alert type="info" header={`Filled in with the defaults of team ${team.displayName}`}>
      {words.join('. ')}. Change anything before you save.
    </Alert>
  );
}

/**
 * The wizard for one secret, once its team's settings are known: the team's limit always
 * applies; with `?team=` (the portal's "Enable rotation") the team's defaults fill it in.
 */
function WizardForSecret({ secretId, secret, teamParam }: { secretId: string; secret: SecretDetail; teamParam: string | null }) {
  const settings = useTeamSettings(secret.team);
  if (settings.isPending) {
    return (
      <Box padding={{ vertical: 'l' }}>
        <StatusIndicator type="loading">Loading the team’s defaults</StatusIndicator>
      </Box>
    );
  }
  const prefill = teamParam !== null && teamParam === secret.team && Boolean(settings.team?.defaults);
  return (
    <SpaceBetween size="l">
      {prefill && settings.team && <TeamDefaultsNote team={settings.team} />}
      <RotationWizard secretId={secretId} secret={secret} team={settings.team} prefill={prefill} />
    </SpaceBetween>
  );
}

/** `/secrets/:secretId/rotation`: the console's "Edit rotation" flow as a wizard that shows its plan before it acts. */
export function RotationWizardPage() {
  const { secretId = '' } = useParams();
  const [params] = useSearchParams();
  const query = useGetSecret(secretId);
  const secret: SecretDetail | undefined = query.data;
  const change = useSecretPermission('workflows:start', secret);

  const breadcrumbs = (
    <Breadcrumbs
      items={[
        { text: 'Secrets', href: SECRETS_PATH },
        { text: secret?.name ?? secretId, href: secretPath({ name: secretId }) },
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
      notFound={<NotFoundAlert header="Secret not found" what="secret named" subject={secretId} backHref={SECRETS_PATH} backText="Back to secrets" />}
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
            <WizardForSecret secretId={secretId} secret={data} teamParam={params.get('team')} />
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
