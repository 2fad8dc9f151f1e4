import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ReactNode } from 'react';

interface ConfirmModalProps {
  header: string;
  /** The confirm button's words ("Rotate", "Update"). */
  confirmLabel: string;
  canConfirm: boolean;
  /** The change is being started: the confirm button spins. */
  confirming: boolean;
  onConfirm: () => void;
  onDismiss: () => void;
  children: ReactNode;
}

/** The dialog of a previewed change (an operation on a secret, a function's update): its preview as the body, Cancel and the confirm button. */
export function ConfirmModal({ header, confirmLabel, canConfirm, confirming, onConfirm, onDismiss, children }: ConfirmModalProps) {
  return (
    <Modal
      visible
      onDismiss={onDismiss}
      header={header}
      closeAriaLabel="Close dialog"
      size="large"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>
              Cancel
            </Button>
            <Button variant="primary" disabled={!canConfirm} loading={confirming} onClick={onConfirm}>
              {confirmLabel}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">{children}</SpaceBetween>
    </Modal>
  );
}
