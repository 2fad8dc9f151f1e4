import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { Operation, OPERATION_ACTIONS, operationLabels, type SecretTimeline } from '@rotation-console/contracts';
import { lazy, Suspense, useState } from 'react';
import { useParams } from 'react-router';
import { isNotVisible } from '../../../lib/api-error.ts';
import { Breadcrumbs } from '../../../lib/breadcrumbs.tsx';
import { useSecretPermission } from '../../../lib/me.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { useSecretTimeline } from '../api/get-secret-timeline.ts';
import { FailureBlock } from '../components/failure-block.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { EventsTable } from '../components/timeline-tables.tsx';
import { VersionsTable } from '../../../components/versions-table.tsx';
import { DASHBOARD_PATH, secretPagePath } from '../utils/paths.ts';
import { UserText } from '../../../components/user-text.tsx';

// The operations dialog is its own chunk: it loads when an operation is chosen.
const OperationModal = lazy(() => import('../components/operation-modal.tsx'));

function SecretNotFound({ secretId }: { secretId: string }) {
  const follow = useFollow();
  return (
    <Alert type="error" header="Secret not found">
      <SpaceBetween size="xs">
        <span>
          No secret named <strong>{secretId}</strong> exists in this account and Region, or you are not allowed to see it.
        </span>
        <Link href={DASHBOARD_PATH} onFollow={follow}>
          Back to the dashboard
        </Link>
      </SpaceBetween>
    </Alert>
  );
}

/** One operation's button: disabled, with the reason on hover, for whoever may not run it on this secret. */
function OperationButton({ operation, secret, onOpen }: { operation: Operation; secret: SecretTimeline; onOpen: () => void }) {
  const { allowed, reason } = useSecretPermission(OPERATION_ACTIONS[operation], secret);
  return (
    <Button disabled={!allowed} disabledReason={reason} onClick={onOpen}>
      {operationLabels[operation]}
    </Button>
  );
}

/**
 * `/secrets/:secretId/timeline`: the secret's versions and stages, what touched it (newest first), what
 * failed in a failed or stuck rotation, and the operations: rotate now, turn off, roll back, clear stuck.
 */
export function SecretTimelinePage() {
  const { secretId = '' } = useParams();
  const follow = useFollow();
  const query = useSecretTimeline(secretId);
  // Each opening gets a new dialog (and so a new Idempotency-Key).
  const [opened, setOpened] = useState<{ operation: Operation; count: number } | null>(null);
  const [openings, setOpenings] = useState(0);
  const timeline = query.data;

  const breadcrumbs = (
    <Breadcrumbs
      items={[
        { text: 'Dashboard', href: DASHBOARD_PATH },
        { text: timeline?.name ?? secretId, href: secretPagePath({ name: timeline?.name ?? secretId, arn: timeline?.arn }) },
        { text: 'Timeline', href: '#' },
      ]}
    />
  );

  if (query.isPending) {
    return (
      <SpaceBetween size="m">
        {breadcrumbs}
        <Box padding={{ vertical: 'l' }}>
          <StatusIndicator type="loading">Loading the timeline</StatusIndicator>
        </Box>
      </SpaceBetween>
    );
  }

  if (query.isError) {
    return (
      <SpaceBetween size="m">
        {breadcrumbs}
        {isNotVisible(query.error) ? (
          <SecretNotFound secretId={secretId} />
        ) : (
          <Alert
            type="error"
            header="Failed to load the timeline"
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

  const data = query.data;
  const open = (operation: Operation) => {
    setOpenings((count) => count + 1);
    setOpened({ operation, count: openings + 1 });
  };

  return (
    <SpaceBetween size="l">
      {breadcrumbs}
      <Header
        variant="h1"
        description="Rotation timeline: versions and their staging labels, and everything that touched the secret."
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            {Operation.options.map((operation) => (
              <OperationButton key={operation} operation={operation} secret={data} onOpen={() => open(operation)} />
            ))}
          </SpaceBetween>
        }
      >
        <UserText text={data.name} />
      </Header>
      <SpaceBetween direction="horizontal" size="l" alignItems="center">
        <StatusBadge status={data.status} owningService={data.owningService} />
        <Link href={secretPagePath(data)} onFollow={follow}>
          Secret details
        </Link>
      </SpaceBetween>
      {data.failure && <FailureBlock failure={data.failure} />}
      <VersionsTable versions={data.versions} />
      <EventsTable events={data.events} />
      {opened && (
        <Suspense fallback={null}>
          <OperationModal
            key={opened.count}
            secretId={secretId}
            secretName={data.name}
            operation={opened.operation}
            onDismiss={() => setOpened(null)}
          />
        </Suspense>
      )}
    </SpaceBetween>
  );
}
