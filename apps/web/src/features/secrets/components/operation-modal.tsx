import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Checkbox from '@cloudscape-design/components/checkbox';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { operationLabels, type Operation, type OperationPreview } from '@rotation-console/contracts';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { EMPTY_VALUE } from '../../../lib/format-date.ts';
import { useOperationPreview } from '../api/preview-operation.ts';
import { useStartOperation } from '../api/start-operation.ts';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { useMe } from '../../../lib/me.ts';
import { workflowPath } from '../../../lib/paths.ts';
import { ConfirmModal } from '../../../components/confirm-modal.tsx';
import { QueryErrorAlert } from '../../../components/query-state.tsx';
import { PreviewWarnings, WhatItWillDo } from '../../../components/what-it-will-do.tsx';

/** The confirm button of each operation's dialog. */
const confirmLabels: Record<Operation, string> = {
  'rotate-now': 'Rotate',
  'turn-off': 'Turn off rotation',
  'roll-back': 'Roll back',
  'clear-stuck': 'Clear the stuck rotation',
};

/** Operations that are hard to take back ask the operator to say they understand first. */
const acknowledgements: Partial<Record<Operation, string>> = {
  'turn-off': 'I understand that Secrets Manager stops rotating this secret until rotation is turned on again.',
  'roll-back': 'I understand that AWSCURRENT moves back to the previous version, so applications get the previous secret value.',
};

type LabelMove = OperationPreview['labelMoves'][number];

function PreviewBody({ preview }: { preview: OperationPreview }) {
  return (
    <SpaceBetween size="m">
      {!preview.allowed && (
        <Alert type="error" header="Not allowed">
          {preview.reason ?? 'The state of this secret does not allow it.'}
        </Alert>
      )}
      <PreviewWarnings warnings={preview.warnings} />
      <WhatItWillDo actions={preview.actions} />
      {preview.labelMoves.length > 0 && (
        <Table<LabelMove>
          variant="embedded"
          header={<Box variant="h3">Staging labels it moves</Box>}
          ariaLabels={{ tableLabel: 'Staging labels it moves' }}
          columnDefinitions={[
            { id: 'label', header: 'Label', cell: (move) => move.label, isRowHeader: true },
            { id: 'from', header: 'From version', cell: (move) => move.fromVersionId ?? EMPTY_VALUE },
            { id: 'to', header: 'To version', cell: (move) => move.toVersionId ?? EMPTY_VALUE },
          ]}
          items={preview.labelMoves}
          trackBy="label"
          wrapLines
        />
      )}
    </SpaceBetween>
  );
}

export interface OperationModalProps {
  secretId: string;
  secretName: string;
  operation: Operation;
  onDismiss: () => void;
}

/**
 * One operation on a secret: the API's preview first (what it will do, with the AWS CLI for each
 * action, the staging labels it moves, warnings, or why it is not allowed), then the confirm button.
 * Mounted once per opening: the Idempotency-Key is made then and sent again on every retry.
 */
export default function OperationModal({ secretId, secretName, operation, onDismiss }: OperationModalProps) {
  const navigate = useNavigate();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [acknowledged, setAcknowledged] = useState(false);
  const preview = useOperationPreview(secretId, operation);
  const start = useStartOperation();
  const acknowledgement = acknowledgements[operation];
  const isAdmin = useMe().data?.roles.includes('admin') ?? false;
  // Refused because the team's freeze window is open (409): an admin may override it with a reason.
  const frozen = isApiError(start.error) && start.error.status === 409 && start.error.message.includes('freeze window');
  const [overrideReason, setOverrideReason] = useState('');
  const overriding = frozen && isAdmin;

  const canConfirm =
    preview.data?.allowed === true && (!acknowledgement || acknowledged) && !start.isPending && (!overriding || overrideReason.trim().length >= 3);

  const confirm = () => {
    start.mutate(
      { secretId, operation, idempotencyKey, ...(overriding ? { overrideFreeze: { reason: overrideReason.trim() } } : {}) },
      {
        onSuccess: (accepted) => {
          onDismiss();
          void navigate(workflowPath(accepted.id));
        },
      },
    );
  };

  return (
    <ConfirmModal
      header={operationLabels[operation]}
      confirmLabel={confirmLabels[operation]}
      canConfirm={canConfirm}
      confirming={start.isPending}
      onConfirm={confirm}
      onDismiss={onDismiss}
    >
      <Box variant="p">
        Secret: <strong>{secretName}</strong>
      </Box>
      {preview.isPending && <StatusIndicator type="loading">Checking what this will do</StatusIndicator>}
      {preview.isError && <QueryErrorAlert query={preview} header="Failed to preview the operation" />}
      {preview.data && <PreviewBody preview={preview.data} />}
      {preview.data?.allowed && acknowledgement && (
        <Checkbox checked={acknowledged} onChange={({ detail }) => setAcknowledged(detail.checked)}>
          {acknowledgement}
        </Checkbox>
      )}
      {start.isError && (
        <Alert type="error" header={`Failed to start: ${operationLabels[operation]}`}>
          {start.error.message}
          {frozen ? '' : ' Confirm again to retry; the console starts it once only.'}
        </Alert>
      )}
      {overriding && (
        <FormField label="Reason for overriding the freeze window" description="Required; the audit log keeps it with your name.">
          <Input value={overrideReason} onChange={({ detail }) => setOverrideReason(detail.value)} ariaLabel="Reason for overriding the freeze window" />
        </FormField>
      )}
    </ConfirmModal>
  );
}
