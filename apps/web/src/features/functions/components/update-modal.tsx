import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Checkbox from '@cloudscape-design/components/checkbox';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { FunctionUpdatePreview } from '@rotation-console/contracts';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ConfirmModal } from '../../../components/confirm-modal.tsx';
import { QueryErrorAlert } from '../../../components/query-state.tsx';
import { UserText } from '../../../components/user-text.tsx';
import { PreviewWarnings, WhatItWillDo } from '../../../components/what-it-will-do.tsx';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { workflowPath } from '../../../lib/paths.ts';
import { useFunctionUpdatePreview } from '../api/preview-function-update.ts';
import { useStartFunctionUpdate } from '../api/start-function-update.ts';

function PreviewBody({ preview }: { preview: FunctionUpdatePreview }) {
  return (
    <SpaceBetween size="m">
      {!preview.allowed && (
        <Alert type="error" header="Not possible now">
          {preview.reason ?? 'The function cannot be updated now.'}
        </Alert>
      )}
      <PreviewWarnings warnings={preview.warnings} />
      <WhatItWillDo actions={preview.steps.map((step) => ({ description: step.title, cli: step.cli }))} />
      {preview.secrets.length > 0 && (
        <section aria-label="Secrets it rotates">
          <Box variant="h3">Secrets it rotates</Box>
          <ul style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
            {preview.secrets.map((secret) => (
              <li key={secret.name}>
                <UserText text={secret.name} /> {secret.team ? `(team ${secret.team})` : '(no team)'}
              </li>
            ))}
          </ul>
        </section>
      )}
    </SpaceBetween>
  );
}

export interface UpdateModalProps {
  functionArn: string;
  functionName: string;
  onDismiss: () => void;
}

/**
 * Update of the console's own function: the API's preview first (every step with its AWS CLI
 * command, the secrets the function rotates, warnings, or why it cannot run), the acknowledgement
 * when it rotates secrets, then Update. Mounted once per opening: the Idempotency-Key is made then
 * and sent again on every retry.
 */
export default function UpdateModal({ functionArn, functionName, onDismiss }: UpdateModalProps) {
  const navigate = useNavigate();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [acknowledged, setAcknowledged] = useState(false);
  const preview = useFunctionUpdatePreview(functionArn);
  const start = useStartFunctionUpdate();
  const needsAcknowledgement = preview.data?.acknowledgementRequired === true;
  const canConfirm = preview.data?.allowed === true && (!needsAcknowledgement || acknowledged) && !start.isPending;

  const confirm = () => {
    start.mutate(
      { functionArn, acknowledgeSharedFunction: acknowledged, idempotencyKey },
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
      header="Update the rotation function"
      confirmLabel="Update"
      canConfirm={canConfirm}
      confirming={start.isPending}
      onConfirm={confirm}
      onDismiss={onDismiss}
    >
      <Box variant="p">
        Function: <strong>{functionName}</strong>. The console redeploys its current code through the function&rsquo;s CloudFormation stack.
      </Box>
      {preview.isPending && <StatusIndicator type="loading">Checking what this will do</StatusIndicator>}
      {preview.isError && <QueryErrorAlert query={preview} header="Failed to preview the update" />}
      {preview.data && <PreviewBody preview={preview.data} />}
      {preview.data?.allowed && needsAcknowledgement && (
        <Checkbox checked={acknowledged} onChange={({ detail }) => setAcknowledged(detail.checked)}>
          I understand that every secret listed above rotates with the new code from now on.
        </Checkbox>
      )}
      {start.isError && (
        <Alert type="error" header="Failed to start the update">
          {start.error.message} Confirm again to retry; the console starts it once only.
        </Alert>
      )}
    </ConfirmModal>
  );
}
