import Alert from '@cloudscape-design/components/alert';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { PreflightReport } from '@rotation-console/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { PreflightChecks } from '../../../components/preflight-report.tsx';
import { RetryButton } from '../../../components/query-state.tsx';

export interface PreflightSectionProps {
  preflight: UseQueryResult<PreflightReport>;
  /** Admins may save despite a failed check, once they acknowledge it; others fix the cause first. */
  mayOverride: boolean;
  acknowledged: boolean;
  onAcknowledge: (acknowledged: boolean) => void;
}

/**
 * The review step's "Will this rotation work?": the preflight of the wizard's choices, read before
 * Save. A failed check holds Save back: an admin may acknowledge it and save (the check can be wrong,
 * e.g. a route through a peering the console cannot read); anyone else fixes its cause first.
 */
export function PreflightSection({ preflight, mayOverride, acknowledged, onAcknowledge }: PreflightSectionProps) {
  const header = (
    <Header variant="h2" description="Read-only checks of the network, the permissions, the function and the database login, before anything changes.">
      Will this rotation work?
    </Header>
  );
  if (preflight.isPending)
    return (
      <Container header={header}>
        <StatusIndicator type="loading">Checking whether this rotation will work</StatusIndicator>
      </Container>
    );
  if (preflight.isError)
    return (
      <Container header={header}>
        <Alert type="warning" header="The preflight could not run" action={<RetryButton query={preflight} />}>
          {preflight.error.message} Nothing was checked: Save is not held back, and the first rotation shows whether it works.
        </Alert>
      </Container>
    );
  const failed = preflight.data.verdict === 'fail';
  return (
    <Container header={header}>
      <SpaceBetween size="m">
        <PreflightChecks report={preflight.data} />
        {failed &&
          (mayOverride ? (
            <Checkbox checked={acknowledged} onChange={({ detail }) => onAcknowledge(detail.checked)}>
              I have read the failed checks and save anyway: the first rotation may fail and leave AWSPENDING behind
            </Checkbox>
          ) : (
            <Alert type="error" header="Fix the failed checks before you save">
              A rotation that fails leaves AWSPENDING behind, and every later attempt fails until it is cleared. Fix the causes above, then go back and forth to
              check again; an admin may save despite them.
            </Alert>
          ))}
      </SpaceBetween>
    </Container>
  );
}
