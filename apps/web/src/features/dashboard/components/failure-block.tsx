import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { RotationFailure } from '@rotation-console/contracts';

const causeLabels: Record<RotationFailure['cause'], string> = {
  network: 'The function cannot reach the database',
  'secrets-manager-endpoint': 'The function cannot reach Secrets Manager',
  permissions: 'The function is not allowed to do its work',
  authentication: 'The database refused the credentials',
  'secret-format': 'The secret is not in the format the function expects',
  unknown: 'The cause is not known',
};

/** For a failed or stuck rotation: the step of the rotation function that failed, its last log lines and the fix. */
export function FailureBlock({ failure }: { failure: RotationFailure }) {
  return (
    <Alert type="error" header={failure.failedStep ? `Rotation failed in the ${failure.failedStep} step` : 'Rotation failed or is stuck'}>
      <SpaceBetween size="s">
        <div>
          <Box variant="awsui-key-label">Cause</Box>
          <span>{causeLabels[failure.cause]}</span>
          {failure.summary && <Box variant="p">{failure.summary}</Box>}
        </div>
        {failure.logLines.length > 0 && (
          <section aria-label="Last log lines">
            <Box variant="h4">Last log lines</Box>
            <pre style={{ margin: 0, overflowX: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              <code>{failure.logLines.join('\n')}</code>
            </pre>
          </section>
        )}
        <section aria-label="How to fix it">
          <Box variant="h4">How to fix it</Box>
          <Box variant="p">{failure.fix}</Box>
        </section>
      </SpaceBetween>
    </Alert>
  );
}
