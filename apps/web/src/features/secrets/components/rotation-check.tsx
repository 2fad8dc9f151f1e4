import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { SecretDetail } from '@rotation-console/contracts';
import { useEffect } from 'react';
import { PreflightChecks } from '../../../components/preflight-report.tsx';
import { useSecretPermission } from '../../../lib/me.ts';
import { useCheckRotation } from '../api/check-rotation.ts';

/**
 * "Check rotation": the preflight of the secret's rotation as configured, for whoever may plan for
 * it. After a failed rotation it runs by itself, so the page names the likely cause beside the log.
 */
export function RotationCheck({ secretId, secret }: { secretId: string; secret: SecretDetail }) {
  const permission = useSecretPermission('rotation:plan', secret);
  const check = useCheckRotation(secretId);
  const failed = secret.status === 'pending_or_failed';
  const hasFunction = secret.rotation.lambdaArn !== null;
  const { mutate, isIdle } = check;
  useEffect(() => {
    if (failed && hasFunction && permission.allowed && isIdle) mutate();
  }, [failed, hasFunction, permission.allowed, isIdle, mutate]);
  if (!hasFunction) return null;

  return (
    <Container
      header={
        <Header
          variant="h2"
          description="Read-only checks of the function's network, permissions, runtime and database login."
          actions={
            <Button onClick={() => check.mutate()} loading={check.isPending} disabled={!permission.allowed} disabledReason={permission.reason}>
              Check rotation
            </Button>
          }
        >
          Will this rotation work?
        </Header>
      }
    >
      {check.isPending ? (
        <StatusIndicator type="loading">Checking the rotation</StatusIndicator>
      ) : check.isError ? (
        <Alert type="error" header="The check could not run">
          {check.error.message}
        </Alert>
      ) : check.data ? (
        <PreflightChecks report={check.data} />
      ) : (
        <Box color="text-body-secondary">Not checked yet.</Box>
      )}
    </Container>
  );
}
