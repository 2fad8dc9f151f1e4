import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { RotationFailure } from '@rotation-console/contracts';
import { RotationLog } from '../../../components/rotation-log.tsx';
import { detailAfterHeadline } from '../../../lib/headline.ts';

const causeLabels: Record<RotationFailure['cause'], string> = {
  network: 'The function cannot reach the database',
  'secrets-manager-endpoint': 'The function cannot reach Secrets Manager',
  permissions: 'The function is not allowed to do its work',
  authentication: 'The database refused the credentials',
  'secret-format': 'The secret is not in the format the function expects',
  unknown: 'The cause is not known',
};

/**
 * For a rotation that did not finish: "Rotation failed at <step>" with the cause, or "Rotation
 * outcome unknown" when the function's logs do not say; that rotation's log, grouped by step, and the fix.
 */
export function FailureBlock({ failure }: { failure: RotationFailure }) {
  const failed = failure.verdict === 'failed';
  const header = failed
    ? failure.failedStep
      ? `Rotation failed at ${failure.failedStep}`
      : 'Rotation failed'
    : 'Rotation outcome unknown \u2014 the function\u2019s logs do not say';
  const summary = failure.summary ? detailAfterHeadline(header, failure.summary) : null;
  return (
    <Alert type={failed ? 'error' : 'warning'} header={header}>
      <SpaceBetween size="s">
        <div>
          {failed && (
            <>
              <Box variant="awsui-key-label">Cause</Box>
              <span>{causeLabels[failure.cause]}</span>
            </>
          )}
          {summary && <Box variant="p">{summary}</Box>}
        </div>
        <RotationLog log={failure.log} logHidden={failure.logHidden} />
        <section aria-label="How to fix it">
          <Box variant="h4">How to fix it</Box>
          <Box variant="p">{failure.fix}</Box>
        </section>
      </SpaceBetween>
    </Alert>
  );
}
