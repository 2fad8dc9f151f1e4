import Box from '@cloudscape-design/components/box';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import { preflightVerdictLabels, type PreflightCheck, type PreflightReport, type PreflightVerdict } from '@rotation-console/contracts';
import { formatDateTime } from '../lib/format-date.ts';
import { StatusText } from './status-text.tsx';
import { UserText } from './user-text.tsx';

export const VERDICT_STATUS: Record<PreflightVerdict, StatusIndicatorProps.Type> = {
  pass: 'success',
  warning: 'warning',
  fail: 'error',
  unknown: 'info',
};

/** One finding: its verdict, what was found, and the fix to copy. */
function Finding({ finding }: { finding: PreflightCheck['findings'][number] }) {
  return (
    <li>
      <SpaceBetween size="xxs">
        <StatusText type={VERDICT_STATUS[finding.verdict]}>
          {preflightVerdictLabels[finding.verdict]}: <UserText text={finding.message} />
        </StatusText>
        {finding.fix && (
          <SpaceBetween size="xxs" direction="horizontal" alignItems="center">
            <Box variant="code">
              <UserText text={finding.fix} />
            </Box>
            <CopyToClipboard
              variant="icon"
              copyButtonAriaLabel="Copy the fix"
              textToCopy={finding.fix}
              copySuccessText="Fix copied"
              copyErrorText="The fix could not be copied"
            />
          </SpaceBetween>
        )}
      </SpaceBetween>
    </li>
  );
}

/** One check: its verdict and summary; its findings, evidence and method expanded where it did not pass. */
function Check({ check }: { check: PreflightCheck }) {
  return (
    <ExpandableSection
      defaultExpanded={check.verdict !== 'pass'}
      // Plain words (the verdict in them): the header is the section's button, named by its text.
      headerText={`${check.title}: ${preflightVerdictLabels[check.verdict]}`}
      headerDescription={check.summary}
    >
      <SpaceBetween size="s">
        {check.findings.length > 0 && (
          <ul aria-label={`${check.title}: findings`} style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
            {check.findings.map((finding, i) => (
              <Finding key={i} finding={finding} />
            ))}
          </ul>
        )}
        {check.evidence.length > 0 && (
          <div>
            <Box variant="awsui-key-label">What was read</Box>
            <ul aria-label={`${check.title}: what was read`} style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
              {check.evidence.map((line, i) => (
                <li key={i}>
                  <UserText text={line} />
                </li>
              ))}
            </ul>
          </div>
        )}
        {check.method && <Box color="text-body-secondary">How: {check.method}</Box>}
      </SpaceBetween>
    </ExpandableSection>
  );
}

/** The preflight's checks, worst first as the API lists them by kind, each with what it read and the fix. */
export function PreflightChecks({ report }: { report: PreflightReport }) {
  return (
    <SpaceBetween size="s">
      <Box>
        <StatusText type={VERDICT_STATUS[report.verdict]}>
          {verdictSentence(report)} Checked {formatDateTime(report.checkedAt)} with read-only AWS calls.
        </StatusText>
      </Box>
      <div role="list" aria-label="Preflight checks">
        {report.checks.map((check) => (
          <div role="listitem" key={check.id}>
            <Check check={check} />
          </div>
        ))}
      </div>
    </SpaceBetween>
  );
}

const count = (report: PreflightReport, verdict: PreflightVerdict) => report.checks.filter((c) => c.verdict === verdict).length;

/** "2 of 5 checks failed.", "Every check passed.": the report in a sentence. */
export const verdictSentence = (report: PreflightReport): string => {
  const total = report.checks.length;
  const failed = count(report, 'fail');
  if (failed > 0) return `${failed} of ${total} checks failed.`;
  const unknown = count(report, 'unknown');
  const warnings = count(report, 'warning');
  if (unknown > 0 || warnings > 0)
    return [unknown > 0 ? `${unknown} of ${total} cannot tell` : null, warnings > 0 ? `${warnings} with warnings` : null].filter(Boolean).join(', ') + '.';
  return 'Every check passed.';
};
