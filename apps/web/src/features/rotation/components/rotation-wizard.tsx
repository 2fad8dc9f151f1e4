import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Wizard, { type WizardProps } from '@cloudscape-design/components/wizard';
import type { PortalTeam, RotationRequest, SecretDetail } from '@rotation-console/contracts';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { secretCheckQueryOptions, useSecretCheck, type SecretCheckInput } from '../api/check-secret.ts';
import { useRotationPlan } from '../api/create-rotation-plan.ts';
import { useRequestPreflight } from '../api/preflight.ts';
import { secretNetworkQueryOptions, useSecretNetwork } from '../api/get-secret-network.ts';
import { useVpc, vpcQueryOptions } from '../api/get-vpc.ts';
import { useVpcs } from '../api/list-vpcs.ts';
import { schedulePreviewQueryOptions, useSchedulePreview, type SchedulePreviewInput } from '../api/preview-schedule.ts';
import { clientLimitProblem, limitOf } from '../../../lib/team-defaults.ts';
import { useStartWorkflow } from '../api/start-workflow.ts';
import { useDebouncedValue } from '../hooks/use-debounced-value.ts';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { useMe } from '../../../lib/me.ts';
import { secretPath, workflowPath } from '../../../lib/paths.ts';
import { masterEngineProblem } from '../utils/master-secret.ts';
import { resolveNetwork } from '../utils/network.ts';
import {
  defaultFunctionName,
  functionProblems,
  initialWizardState,
  needsMasterSecret,
  NO_VPC,
  rotationRequestOf,
  scheduleOf,
  strategyOf,
  wizardStateFromDefaults,
  type WizardState,
} from '../utils/wizard-state.ts';
import { CheckStep } from './check-step.tsx';
import { FunctionStep } from './function-step.tsx';
import { NetworkSection } from './network-section.tsx';
import { PreflightSection } from './preflight-section.tsx';
import { ReviewStep } from './review-step.tsx';
import { ScheduleStep } from './schedule-step.tsx';

export const STEP_TITLES = ['Configure automatic rotation', 'Rotation function', 'Check secret', 'Review and save'] as const;
const LAST_STEP = STEP_TITLES.length - 1;

const I18N: WizardProps.I18nStrings = {
  stepNumberLabel: (stepNumber) => `Step ${stepNumber}`,
  collapsedStepsLabel: (stepNumber, stepsCount) => `Step ${stepNumber} of ${stepsCount}`,
  navigationAriaLabel: 'Steps',
  cancelButton: 'Cancel',
  previousButton: 'Previous',
  nextButton: 'Next',
  submitButton: 'Save',
  optional: 'optional',
  nextButtonLoadingAnnouncement: 'Checking this step',
  submitButtonLoadingAnnouncement: 'Starting the rotation',
};

const previewInputOf = (state: WizardState, secretId: string): SchedulePreviewInput | null => {
  const schedule = scheduleOf(state.schedule);
  if (!state.schedule.enabled || !schedule.ok) return null;
  return { schedule: schedule.schedule, ...(schedule.duration ? { duration: schedule.duration } : {}), strategy: strategyOf(state.fn), secretId };
};

const checkInputOf = (state: WizardState): SecretCheckInput => ({
  strategy: strategyOf(state.fn),
  ...(needsMasterSecret(state.fn) && state.fn.masterSecretId ? { masterSecretId: state.fn.masterSecretId } : {}),
});

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Why a step cannot be left forward, or null. Asks the API for what is not known yet (the preview of
 * the schedule as typed, the network, the check) so a quick click does not slip past a pending answer.
 */
const problemOfStep = async ({
  index,
  state,
  secretId,
  secretName,
  limit,
  queryClient,
}: {
  index: number;
  state: WizardState;
  secretId: string;
  secretName: string;
  limit: ReturnType<typeof limitOf>;
  queryClient: QueryClient;
}): Promise<string | null> => {
  if (index === 0) {
    if (!state.schedule.enabled) return 'Turn on automatic rotation to continue.';
    const schedule = scheduleOf(state.schedule, limit);
    if (!schedule.ok) return schedule.error;
    const beyondLimit = clientLimitProblem(schedule.schedule, limit);
    if (beyondLimit) return beyondLimit;
    const input = previewInputOf(state, secretId);
    if (!input) return null;
    try {
      const preview = await queryClient.ensureQueryData(schedulePreviewQueryOptions(input));
      if (preview.valid) return null;
      // A schedule AWS takes (it has a description) is refused only by the team's limit.
      return preview.description === null ? `AWS would refuse this schedule: ${preview.errors.join(' ')}` : preview.errors.join(' ');
    } catch (error) {
      return `Could not check the schedule: ${messageOf(error)}`;
    }
  }

  if (index === 1) {
    try {
      // When the lookup fails, the network is chosen by hand (the step shows the failure with Retry).
      const found = await queryClient.ensureQueryData(secretNetworkQueryOptions(secretId)).catch(() => undefined);
      const vpcId = found?.dbInstance ? found.dbInstance.vpcId : state.network.vpcId !== NO_VPC ? state.network.vpcId : null;
      const vpcDetail = vpcId ? await queryClient.ensureQueryData(vpcQueryOptions(secretId, vpcId)) : undefined;
      const engine = found?.dbInstance?.engine ?? null;
      const fnProblem = Object.values(functionProblems(state.fn, defaultFunctionName(engine, secretName)))[0];
      if (fnProblem) return fnProblem;
      const network = resolveNetwork({ state: state.network, found, vpcDetail });
      const networkProblem = Object.values(network.problems)[0];
      if (networkProblem) return networkProblem;
    } catch (error) {
      return `Could not load the network: ${messageOf(error)}`;
    }
    const master = needsMasterSecret(state.fn) ? state.fn.masterSecretId : null;
    if (master) {
      try {
        const data = await queryClient.ensureQueryData(secretCheckQueryOptions(secretId, { strategy: 'alternating-users', masterSecretId: master }));
        return masterEngineProblem({ data, error: null, isError: false }, master);
      } catch (error) {
        return messageOf(error);
      }
    }
    return null;
  }

  if (index === 2) {
    try {
      const check = await queryClient.ensureQueryData(secretCheckQueryOptions(secretId, checkInputOf(state)));
      return check.ok ? null : 'The secret check did not pass. Fix the secret, then choose Check again.';
    } catch (error) {
      return `Could not check the secret: ${messageOf(error)}`;
    }
  }

  return null;
};

export interface RotationWizardProps {
  secretId: string;
  secret: SecretDetail;
  /** The secret's team's settings: its limit always applies; its defaults fill the wizard in when `prefill`. */
  team?: PortalTeam | undefined;
  prefill?: boolean;
}

/** The four steps of "Edit rotation", then Save starts the workflow and opens its page. */
export function RotationWizard({ secretId, secret, team, prefill = false }: RotationWizardProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [state, setState] = useState<WizardState>(() => {
    const opening = { rotationEnabled: secret.rotation.enabled };
    return prefill && team?.defaults ? wizardStateFromDefaults(team.defaults, opening) : initialWizardState(opening);
  });
  const limit = limitOf(team);
  const [activeStep, setActiveStep] = useState(0);
  const [attempted, setAttempted] = useState<readonly number[]>([]);
  const [stepError, setStepError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const [sharedAcknowledged, setSharedAcknowledged] = useState(false);
  const [preflightAcknowledged, setPreflightAcknowledged] = useState(false);
  const { data: me } = useMe();
  const submission = useRef<{ body: string; key: string } | null>(null);
  const start = useStartWorkflow();

  const update =
    <K extends keyof WizardState>(key: K) =>
    (patch: Partial<WizardState[K]>) => {
      setState((current) => ({ ...current, [key]: { ...current[key], ...patch } }));
      setStepError(null);
    };

  // Step 1: the live preview, asked for once the form has been still for a moment.
  const previewInput = previewInputOf(state, secretId);
  const debouncedInput = useDebouncedValue(previewInput);
  const preview = useSchedulePreview(debouncedInput);
  const previewPending = JSON.stringify(previewInput) !== JSON.stringify(debouncedInput);

  // Step 2: the network found from the database, or chosen by hand.
  const found = useSecretNetwork(secretId);
  const db = found.data?.dbInstance ?? null;
  const vpcs = useVpcs(secretId, { enabled: !found.isPending && db === null });
  const chosenVpcId = db ? db.vpcId : state.network.vpcId !== NO_VPC ? state.network.vpcId : null;
  const vpc = useVpc(secretId, chosenVpcId);
  const resolved = resolveNetwork({ state: state.network, found: found.data, vpcDetail: vpc.data });
  const defaultName = defaultFunctionName(db?.engine ?? null, secret.name);
  const request: RotationRequest | null = rotationRequestOf({ secretId, state, defaultName, network: resolved.choice });

  // Steps 3 and 4 ask only once they are open.
  const check = useSecretCheck(secretId, checkInputOf(state), { enabled: activeStep >= 2 });
  const plan = useRotationPlan(activeStep === LAST_STEP ? request : null);
  const preflight = useRequestPreflight(activeStep === LAST_STEP ? request : null);

  const goTo = (index: number) => {
    setStepError(null);
    setActiveStep(index);
  };

  const onNavigate = async (requested: number) => {
    if (requested <= activeStep) {
      goTo(requested);
      return;
    }
    setChecking(true);
    try {
      for (let index = activeStep; index < requested; index += 1) {
        const problem = await problemOfStep({ index, state, secretId, secretName: secret.name, limit, queryClient });
        if (problem) {
          setAttempted((current) => [...current, index]);
          setActiveStep(index);
          setStepError(problem);
          return;
        }
      }
      goTo(requested);
    } finally {
      setChecking(false);
    }
  };

  const save = () => {
    if (!request) return;
    const acknowledgedRequest = { ...request, acknowledgeSharedFunction: needsSharedAcknowledgement && sharedAcknowledged };
    // One key per submission: a retry of the same request sends the same key, so the API starts one workflow.
    const body = JSON.stringify(acknowledgedRequest);
    if (submission.current?.body !== body) submission.current = { body, key: newIdempotencyKey() };
    start.mutate(
      { request: acknowledgedRequest, idempotencyKey: submission.current.key },
      { onSuccess: (accepted) => void navigate(workflowPath(accepted.id)) },
    );
  };

  const cancel = () => void navigate(secretPath({ name: secretId }));
  const needsAcknowledgement = state.schedule.rotateImmediately;
  const needsSharedAcknowledgement = plan.data?.sharedFunction?.acknowledgementRequired === true;
  const isAdmin = me?.roles.includes('admin') === true;
  // A failed preflight check holds Save back unless an admin acknowledges it; one that could not run does not.
  const preflightClear = !preflight.isPending && (preflight.data?.verdict !== 'fail' || (isAdmin && preflightAcknowledged));
  const canSave =
    request !== null &&
    plan.isSuccess &&
    preflightClear &&
    (!needsAcknowledgement || acknowledged) &&
    (!needsSharedAcknowledgement || sharedAcknowledged) &&
    !start.isPending;
  const showErrors = (index: number) => attempted.includes(index);

  const steps: WizardProps.Step[] = [
    {
      title: STEP_TITLES[0],
      description: 'Choose how often Secrets Manager rotates the secret.',
      content: (
        <ScheduleStep
          state={state.schedule}
          limit={limit}
          onChange={update('schedule')}
          preview={preview}
          previewPending={previewPending}
          showErrors={showErrors(0)}
        />
      ),
      errorText: activeStep === 0 ? stepError : undefined,
    },
    {
      title: STEP_TITLES[1],
      description: 'Choose the Lambda function that rotates the secret, the credentials it uses, and where it runs.',
      content: (
        <FunctionStep
          secretId={secretId}
          state={state.fn}
          defaultName={defaultName}
          onChange={update('fn')}
          problems={functionProblems(state.fn, defaultName)}
          showErrors={showErrors(1)}
          network={
            <NetworkSection
              found={found}
              vpcs={vpcs}
              vpc={vpc}
              resolved={resolved}
              state={state.network}
              onChange={update('network')}
              showErrors={showErrors(1)}
            />
          }
        />
      ),
      errorText: activeStep === 1 ? stepError : undefined,
    },
    {
      title: STEP_TITLES[2],
      description: 'The secret must hold what the rotation function expects. Only field names and verdicts are shown, never values.',
      content: <CheckStep check={check} />,
      errorText: activeStep === 2 ? stepError : undefined,
    },
    {
      title: STEP_TITLES[3],
      description: 'What Save does, step by step, and the same work as AWS CLI commands.',
      content: (
        <SpaceBetween size="l">
          {start.isError && (
            <Alert
              type="error"
              header="Could not start the rotation"
              action={
                <Button onClick={save} disabled={!canSave}>
                  Retry
                </Button>
              }
            >
              {start.error.message}
            </Alert>
          )}
          {plan.isSuccess && (
            <PreflightSection preflight={preflight} mayOverride={isAdmin} acknowledged={preflightAcknowledged} onAcknowledge={setPreflightAcknowledged} />
          )}
          <ReviewStep
            plan={plan}
            rotateImmediately={needsAcknowledgement}
            acknowledged={acknowledged}
            onAcknowledge={setAcknowledged}
            sharedAcknowledged={sharedAcknowledged}
            onSharedAcknowledge={setSharedAcknowledged}
            onEditStep={goTo}
            stepTitles={STEP_TITLES}
          />
        </SpaceBetween>
      ),
      errorText: activeStep === LAST_STEP ? stepError : undefined,
    },
  ];

  return (
    <Wizard
      steps={steps}
      activeStepIndex={activeStep}
      i18nStrings={I18N}
      submitButtonText="Save"
      isLoadingNextStep={checking}
      onNavigate={({ detail }) => void onNavigate(detail.requestedStepIndex)}
      onCancel={cancel}
      customPrimaryActions={
        activeStep === LAST_STEP ? (
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" formAction="none" onClick={cancel}>
              Cancel
            </Button>
            <Button formAction="none" onClick={() => goTo(LAST_STEP - 1)} disabled={start.isPending}>
              Previous
            </Button>
            <Button variant="primary" formAction="none" onClick={save} disabled={!canSave} loading={start.isPending} loadingText="Starting the rotation">
              Save
            </Button>
          </SpaceBetween>
        ) : undefined
      }
    />
  );
}
