import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import List from '@cloudscape-design/components/list';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { OPERATION_ACTIONS, operationLabels, type Operation, type OperationAvailability, type SecretDetail } from '@rotation-console/contracts';
import { lazy, Suspense, useId, useState } from 'react';
import { useSecretPermission } from '../../../lib/me.ts';

// The operations dialog is its own chunk: it loads when an operation is chosen.
const OperationModal = lazy(() => import('./operation-modal.tsx'));

interface ItemProps {
  availability: OperationAvailability;
  secret: SecretDetail;
  reasonId: string;
}

/**
 * The operation's button: disabled, with the reason, when the secret's state does not allow it
 * (the API's reason) or the person may not run it (the policy's).
 */
function OperationButton({ availability, secret, reasonId, onOpen }: ItemProps & { onOpen: () => void }) {
  const permission = useSecretPermission(OPERATION_ACTIONS[availability.operation], secret);
  return (
    <Button
      disabled={!availability.allowed || !permission.allowed}
      disabledReason={availability.allowed ? permission.reason : availability.reason}
      ariaDescribedby={reasonId}
      onClick={onOpen}
    >
      {operationLabels[availability.operation]}
    </Button>
  );
}

/** Beside the button: why the operation applies to this secret or why not, and who may not run it. */
function OperationReason({ availability, secret, reasonId }: ItemProps) {
  const permission = useSecretPermission(OPERATION_ACTIONS[availability.operation], secret);
  return (
    <SpaceBetween size="xxs">
      <span id={reasonId}>{availability.reason}</span>
      {availability.allowed && !permission.allowed && <Box color="text-body-secondary">{permission.reason}</Box>}
    </SpaceBetween>
  );
}

/**
 * The four operations on the secret, each with the sentence that says why it applies or why not,
 * so a stuck AWSPENDING and "Clear the stuck rotation" sit side by side. A button opens the
 * operation's preview; each opening is a new dialog (and so a new Idempotency-Key).
 */
export function SecretOperations({ secretId, secret }: { secretId: string; secret: SecretDetail }) {
  const idPrefix = useId();
  const [opened, setOpened] = useState<Operation | null>(null);
  // Counts the openings: the dialog's key, so each opening mounts a new one.
  const [openings, setOpenings] = useState(0);
  const open = (operation: Operation) => {
    setOpenings((count) => count + 1);
    setOpened(operation);
  };

  return (
    <Container
      header={
        <Header variant="h2" description="Each one shows what it will do, with the AWS CLI, before it starts.">
          Operations
        </Header>
      }
    >
      <List
        ariaLabel="Operations"
        items={secret.operations}
        renderItem={(availability) => {
          const props = { availability, secret, reasonId: `${idPrefix}-${availability.operation}` };
          return {
            id: availability.operation,
            content: <OperationReason {...props} />,
            actions: <OperationButton {...props} onOpen={() => open(availability.operation)} />,
          };
        }}
      />
      {opened && (
        <Suspense fallback={null}>
          <OperationModal key={openings} secretId={secretId} secretName={secret.name} operation={opened} onDismiss={() => setOpened(null)} />
        </Suspense>
      )}
    </Container>
  );
}
