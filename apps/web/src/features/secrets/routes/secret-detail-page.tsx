import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tabs from '@cloudscape-design/components/tabs';
import type { SecretDetail } from '@rotation-console/contracts';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { NotFoundAlert, QueryState } from '../../../components/query-state.tsx';
import { UserText } from '../../../components/user-text.tsx';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { useSecretPermission } from '../../../lib/me.ts';
import { useSecretTimeline } from '../api/get-secret-timeline.ts';
import { EventsTable } from '../components/events-table.tsx';
import { FailureBlock } from '../components/failure-block.tsx';
import { RotationCheck } from '../components/rotation-check.tsx';
import { RotationConfiguration } from '../components/rotation-configuration.tsx';
import { FreezeWarningAlert } from '../components/freeze-warning.tsx';
import { SecretDetails } from '../components/secret-details.tsx';
import { SecretOperations } from '../components/secret-operations.tsx';
import { SecretTagsTable } from '../components/secret-tags-table.tsx';
import { VersionsTable } from '../../../components/versions-table.tsx';
import { useGetSecret } from '../../../lib/api/get-secret.ts';
import { SECRETS_PATH, secretRotationPath, secretTabOf, type SecretTab } from '../../../lib/paths.ts';
import { useIndexChanges } from '../../../lib/api/watch-index-changes.ts';

/** The secret's page below its details, in tabs as the AWS console has them; the tab is the URL's `?tab=`. */
function SecretTabs({ secretId, secret }: { secretId: string; secret: SecretDetail }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = secretTabOf(searchParams.get('tab'));
  // The timeline is read when it is shown: on its tab, or for the failure of a stuck rotation.
  const timeline = useSecretTimeline(secretId, { enabled: tab === 'timeline' || secret.status === 'pending_or_failed' });
  const choose = (next: SecretTab) =>
    setSearchParams(
      (params) => {
        if (next === 'rotation') params.delete('tab');
        else params.set('tab', next);
        return params;
      },
      { replace: true },
    );

  return (
    <Tabs
      activeTabId={tab}
      onChange={({ detail }) => choose(secretTabOf(detail.activeTabId))}
      ariaLabel="Secret"
      tabs={[
        {
          id: 'rotation',
          label: 'Rotation',
          content: (
            <SpaceBetween size="l">
              <RotationConfiguration secret={secret} />
              <SecretOperations secretId={secretId} secret={secret} />
              {secret.status === 'pending_or_failed' && (
                <QueryState
                  query={timeline}
                  loadingText="Loading what the rotation function's log says"
                  errorHeader="Failed to read what the rotation function's log says"
                >
                  {(data) => data.failure && <FailureBlock failure={data.failure} />}
                </QueryState>
              )}
              <RotationCheck secretId={secretId} secret={secret} />
            </SpaceBetween>
          ),
        },
        { id: 'versions', label: 'Versions', content: <VersionsTable versions={secret.versions} /> },
        {
          id: 'timeline',
          label: 'Timeline',
          content: (
            <QueryState query={timeline} loadingText="Loading the timeline" errorHeader="Failed to load the timeline">
              {(data) => <EventsTable events={data.events} />}
            </QueryState>
          ),
        },
        { id: 'tags', label: 'Tags', content: <SecretTagsTable tags={secret.tags} /> },
      ]}
    />
  );
}

/**
 * `/secrets/:secretId`: everything about one secret on one page (never its value): its details, then
 * tabs for its rotation with the operations, its versions, its timeline and its tags.
 */
export function SecretDetailPage() {
  // Within seconds of a rotation event, without a reload.
  useIndexChanges();
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
          {data.freezeWarning && <FreezeWarningAlert warning={data.freezeWarning} />}
          <SecretDetails secret={data} />
          <SecretTabs secretId={secretId} secret={data} />
        </SpaceBetween>
      )}
    </QueryState>
  );
}
