import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Toggle from '@cloudscape-design/components/toggle';
import type { SchedulePreview, ScheduleLimit } from '@rotation-console/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { clientLimitProblem } from '../../../lib/team-defaults.ts';
import { formatWindow } from '../../../lib/format-date.ts';
import { formatWindowLocal } from '../utils/format.ts';
import { isDurationError, maxDaysOf, MIN_DAYS, scheduleOf, type IntervalChoice, type ScheduleState } from '../utils/wizard-state.ts';
import { QueryErrorAlert } from '../../../components/query-state.tsx';

const INTERVALS: { value: IntervalChoice; label: string }[] = [
  { value: '30', label: '30 days' },
  { value: '60', label: '60 days' },
  { value: '90', label: '90 days' },
  { value: 'custom', label: 'Custom' },
];

export interface ScheduleStepProps {
  state: ScheduleState;
  /** The secret's team's limit (config/teams.json), shown and checked here; the API enforces it. */
  limit?: ScheduleLimit | null;
  onChange: (patch: Partial<ScheduleState>) => void;
  preview: UseQueryResult<SchedulePreview>;
  /** The form changed and its preview has not arrived yet. */
  previewPending: boolean;
  /** Next was chosen: show every client-side problem, even on untouched fields. */
  showErrors: boolean;
}

const joinErrors = (errors: string[]) => (errors.length > 0 ? errors.join(' ') : undefined);

/** Step 1, "Configure automatic rotation": the interval or a schedule expression, the window, and the live preview. */
export function ScheduleStep({ state, limit = null, onChange, preview, previewPending, showErrors }: ScheduleStepProps) {
  const [advancedOpen, setAdvancedOpen] = useState(Boolean(state.expression || state.duration));
  const disabled = !state.enabled;
  const usesExpression = state.expression.trim() !== '';
  const local = scheduleOf(state, limit);
  // Every hint names the range the team allows: 1 to its limit (AWS's 1000 when it has none).
  const maxDays = maxDaysOf(limit);
  const customDaysError = !local.ok && (showErrors || state.customDays !== '') ? local.error : undefined;

  // The server's errors belong to the field they are about; stale answers (for older input) are not shown as errors.
  const serverErrors = preview.data && !preview.isPlaceholderData && !previewPending && local.ok ? preview.data.errors : [];
  const durationErrors = serverErrors.filter(isDurationError);
  // A schedule longer than the team allows is refused here at once (days and rate(N days)); the API's preview finds a cron's longest gap.
  const limitError = local.ok ? clientLimitProblem(local.schedule, limit) : null;
  const scheduleErrors = limitError ? [limitError] : serverErrors.filter((error) => !isDurationError(error));
  const limitText = limit
    ? `Team ${limit.team} allows at most ${limit.maxIntervalDays} day${limit.maxIntervalDays === 1 ? '' : 's'} between rotations.`
    : undefined;

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Rotation configuration</Header>}>
        <SpaceBetween size="l">
          <Toggle checked={state.enabled} onChange={({ detail }) => onChange({ enabled: detail.checked })}>
            Enable automatic rotation
          </Toggle>
          {disabled && (
            <Alert type="info" header="Automatic rotation is off">
              Choose Enable automatic rotation to set the rotation interval and the function. To stop rotating a secret, use Turn off rotation on its rotation
              timeline.
            </Alert>
          )}
          <FormField
            label="Select rotation interval"
            description="If you rotate to meet compliance requirements, set the interval to at least one day less than the compliance-mandated interval."
            constraintText={limitText}
            errorText={!usesExpression && state.interval !== 'custom' ? joinErrors(scheduleErrors) : undefined}
          >
            <RadioGroup
              value={state.interval}
              onChange={({ detail }) => onChange({ interval: detail.value as IntervalChoice })}
              items={INTERVALS.map((item) => {
                // A preset longer than the team allows is not offered.
                const overLimit = item.value !== 'custom' && Number(item.value) > maxDays;
                return {
                  ...item,
                  disabled: disabled || usesExpression || overLimit,
                  ...(overLimit && limit ? { description: `More than team ${limit.team} allows` } : {}),
                };
              })}
            />
          </FormField>
          {usesExpression && <Box color="text-body-secondary">The schedule expression under Advanced schedule replaces the interval.</Box>}
          {state.interval === 'custom' && !usesExpression && (
            <FormField
              label="Custom interval in days"
              constraintText={`A whole number from ${MIN_DAYS} to ${maxDays}.`}
              errorText={customDaysError ?? joinErrors(scheduleErrors)}
            >
              <Input
                type="number"
                inputMode="numeric"
                value={state.customDays}
                disabled={disabled}
                onChange={({ detail }) => onChange({ customDays: detail.value })}
              />
            </FormField>
          )}
          <ExpandableSection headerText="Advanced schedule" expanded={advancedOpen} onChange={({ detail }) => setAdvancedOpen(detail.expanded)}>
            <SpaceBetween size="l">
              <FormField
                label="Schedule expression"
                description="A rate() or cron() expression, as RotateSecret accepts. When set, it replaces the rotation interval."
                constraintText={`For example rate(${Math.min(10, maxDays)} days) or cron(0 4 ? * SUN *).${limitText ? ` ${limitText}` : ''}`}
                errorText={usesExpression ? joinErrors(scheduleErrors) : undefined}
              >
                <Input
                  value={state.expression}
                  disabled={disabled}
                  placeholder={`rate(${Math.min(30, maxDays)} days)`}
                  onChange={({ detail }) => onChange({ expression: detail.value })}
                />
              </FormField>
              <FormField
                label="Window duration"
                description="Secrets Manager rotates the secret at any time during the window. Leave empty for the default window."
                constraintText="Hours, for example 3h."
                errorText={joinErrors(durationErrors)}
              >
                <Input value={state.duration} disabled={disabled} placeholder="3h" onChange={({ detail }) => onChange({ duration: detail.value })} />
              </FormField>
            </SpaceBetween>
          </ExpandableSection>
          <Checkbox
            checked={state.rotateImmediately}
            disabled={disabled}
            onChange={({ detail }) => onChange({ rotateImmediately: detail.checked })}
            description="Secrets Manager rotates the secret once when you save, to test the configuration."
          >
            Rotate immediately when the secret is stored
          </Checkbox>
        </SpaceBetween>
      </Container>
      {state.enabled && local.ok && <SchedulePreviewPanel preview={preview} pending={previewPending} />}
    </SpaceBetween>
  );
}

function SchedulePreviewPanel({ preview, pending }: { preview: UseQueryResult<SchedulePreview>; pending: boolean }) {
  const header = (
    <Header variant="h2" description="The schedule as Secrets Manager reads it, and its next rotation windows.">
      Schedule preview
    </Header>
  );

  if (preview.isError) {
    return (
      <Container header={header}>
        <QueryErrorAlert query={preview} header="Could not check the schedule" />
      </Container>
    );
  }

  if (!preview.data) {
    return (
      <Container header={header}>
        <StatusIndicator type="loading">Checking the schedule</StatusIndicator>
      </Container>
    );
  }

  const { data } = preview;
  return (
    <Container header={header}>
      <SpaceBetween size="m">
        {pending || preview.isFetching ? (
          <StatusIndicator type="loading">Checking the schedule</StatusIndicator>
        ) : data.valid ? (
          <StatusIndicator type="success">{data.description ? `Rotates ${data.description}` : 'Valid schedule'}</StatusIndicator>
        ) : data.description === null ? (
          <StatusIndicator type="error">AWS would refuse this schedule</StatusIndicator>
        ) : (
          <StatusIndicator type="error">{`Rotates ${data.description}: longer than the team allows`}</StatusIndicator>
        )}
        {data.valid && data.windows.length > 0 && (
          <section aria-labelledby="next-rotation-windows">
            <Box variant="h3" id="next-rotation-windows">
              Next rotation windows
            </Box>
            <ol aria-label="Next rotation windows" style={{ margin: 0, paddingInlineStart: '1.5rem' }}>
              {data.windows.map((window) => {
                const local = formatWindowLocal(window);
                return (
                  <li key={window.start}>
                    <div>{formatWindow(window)}</div>
                    {local && (
                      <Box color="text-body-secondary" fontSize="body-s">
                        {local}
                      </Box>
                    )}
                  </li>
                );
              })}
            </ol>
          </section>
        )}
        {data.advice.length > 0 && (
          <Alert type="info" header="Compliance">
            <ul aria-label="Compliance advice" style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
              {data.advice.map((advice) => (
                <li key={advice}>{advice}</li>
              ))}
            </ul>
          </Alert>
        )}
      </SpaceBetween>
    </Container>
  );
}
