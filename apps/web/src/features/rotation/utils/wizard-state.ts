import type {
  NetworkChoice,
  RotationFunctionChoice,
  RotationRequest,
  RotationSchedule,
  RotationStrategy,
  ScheduleLimit,
  TeamDefaults,
} from '@rotation-console/contracts';

/** "Select rotation interval": the console's predefined values, or Custom. */
export type IntervalChoice = '30' | '60' | '90' | 'custom';

export interface ScheduleState {
  /** "Enable automatic rotation". */
  enabled: boolean;
  interval: IntervalChoice;
  /** "Custom interval in days", as typed. */
  customDays: string;
  /** "Schedule expression" (Advanced schedule): when set, it replaces the interval. */
  expression: string;
  /** "Window duration", e.g. "3h"; empty for AWS's default window. */
  duration: string;
  /** "Rotate immediately when the secret is stored". */
  rotateImmediately: boolean;
}

/** Create: "Use this secret" (single user) or "Use a secret that I have previously stored..." (master secret). */
export type CredentialsChoice = 'this-secret' | 'master-secret';

export interface FunctionState {
  mode: 'create' | 'existing';
  /** "Lambda function name" as typed; null until the operator edits it (the default is shown). */
  functionName: string | null;
  credentials: CredentialsChoice;
  /** "Lambda rotation function" (existing). */
  existingArn: string | null;
  /** "Single-user rotation" / "Multi-user rotation" (existing). */
  existingStrategy: RotationStrategy;
  /** "Master secret": its name, for alternating users. */
  masterSecretId: string | null;
}

/** Chosen in the VPC Select: the function runs outside any VPC. */
export const NO_VPC = 'no-vpc';

export interface NetworkState {
  /** The VPC chosen by hand (a VPC id or NO_VPC); unused when the database's VPC was found. */
  vpcId: string | null;
  /** null: the found database's subnets / security groups (or none yet, by hand). */
  subnetIds: string[] | null;
  securityGroupIds: string[] | null;
  /** null: the default, checked whenever the endpoint is offered. */
  createEndpoint: boolean | null;
}

export interface WizardState {
  schedule: ScheduleState;
  fn: FunctionState;
  network: NetworkState;
}

/**
 * The wizard as it opens. "Enable automatic rotation" is ticked only on a secret whose rotation is
 * on, as on the console's page: on any other the operator turns it on first, which enables the rest.
 */
export const initialWizardState = ({ rotationEnabled }: { rotationEnabled: boolean }): WizardState => ({
  schedule: { enabled: rotationEnabled, interval: '30', customDays: '', expression: '', duration: '', rotateImmediately: true },
  fn: {
    mode: 'create',
    functionName: null,
    credentials: 'this-secret',
    existingArn: null,
    existingStrategy: 'single-user',
    masterSecretId: null,
  },
  network: { vpcId: null, subnetIds: null, securityGroupIds: null, createEndpoint: null },
});

const PRESET_DAYS: readonly string[] = ['30', '60', '90'];

/**
 * The wizard filled in with a team's defaults (config/teams.json), as "Enable rotation" on the team
 * portal opens it: the interval (a preset, a custom number of days or an expression), the window,
 * a new function or the team's own, and a fixed network where the team has one ('auto' leaves the
 * network to what is found through RDS). Anything the defaults leave out keeps the wizard's own.
 */
export const wizardStateFromDefaults = (defaults: TeamDefaults, opening: { rotationEnabled: boolean }): WizardState => {
  const state = initialWizardState(opening);
  const { schedule, duration, function: fn, network } = defaults;
  if (schedule?.kind === 'days') {
    const days = String(schedule.days);
    state.schedule = PRESET_DAYS.includes(days)
      ? { ...state.schedule, interval: days as IntervalChoice }
      : { ...state.schedule, interval: 'custom', customDays: days };
  } else if (schedule?.kind === 'expression') {
    state.schedule = { ...state.schedule, expression: schedule.expression };
  }
  if (duration) state.schedule = { ...state.schedule, duration };
  if (fn?.mode === 'create') {
    state.fn = { ...state.fn, mode: 'create', credentials: fn.strategy === 'alternating-users' ? 'master-secret' : 'this-secret' };
  } else if (fn?.mode === 'existing') {
    state.fn = { ...state.fn, mode: 'existing', existingArn: fn.functionArn, existingStrategy: fn.strategy };
  }
  if (network !== 'auto') {
    state.network = {
      vpcId: network.vpcId,
      subnetIds: network.subnetIds,
      securityGroupIds: network.securityGroupIds,
      createEndpoint: network.createSecretsManagerEndpoint,
    };
  }
  return state;
};

// --- Schedule --------------------------------------------------------------------

export const MIN_DAYS = 1;
/** The longest interval RotateSecret takes. */
export const MAX_DAYS = 1000;

/** The longest interval the form may ask for: AWS's, or the team's limit when it is shorter. */
export const maxDaysOf = (limit: ScheduleLimit | null | undefined): number => Math.min(MAX_DAYS, limit?.maxIntervalDays ?? MAX_DAYS);

export type ScheduleResult = { ok: true; schedule: RotationSchedule; duration?: string } | { ok: false; field: 'customDays'; error: string };

/**
 * The schedule the form describes, or why the client already knows it is wrong (the server checks the rest).
 * The messages name the range the secret's team allows; a number AWS takes but the team does not is
 * left to the limit's own message (clientLimitProblem), which says how far over it is.
 */
export const scheduleOf = (state: ScheduleState, limit: ScheduleLimit | null = null): ScheduleResult => {
  const duration = state.duration.trim() || undefined;
  const expression = state.expression.trim();
  if (expression) return { ok: true, schedule: { kind: 'expression', expression }, ...(duration ? { duration } : {}) };
  if (state.interval !== 'custom') return { ok: true, schedule: { kind: 'days', days: Number(state.interval) }, ...(duration ? { duration } : {}) };
  const text = state.customDays.trim();
  const max = maxDaysOf(limit);
  if (!text) return { ok: false, field: 'customDays', error: `Enter a number of days from ${MIN_DAYS} to ${max}.` };
  const days = Number(text);
  if (!/^\d+$/.test(text) || days < MIN_DAYS || days > MAX_DAYS) {
    return { ok: false, field: 'customDays', error: `The interval must be a whole number of days from ${MIN_DAYS} to ${max}.` };
  }
  return { ok: true, schedule: { kind: 'days', days }, ...(duration ? { duration } : {}) };
};

/** True when a server error about the schedule is about the window rather than the interval or expression. */
export const isDurationError = (message: string): boolean => /duration|window/i.test(message);

// --- Function --------------------------------------------------------------------

/** What Lambda accepts as a function name. */
export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const FUNCTION_NAME_HINT = '1 to 64 characters: letters, digits, hyphens (-) and underscores (_).';

const slug = (text: string) =>
  text
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');

/** The default "Lambda function name": `SecretsManager-<engine>-<secret name>`, cut to what Lambda accepts. */
export const defaultFunctionName = (engine: string | null, secretName: string): string => {
  const parts = ['SecretsManager', slug(engine ?? ''), slug(secretName)].filter(Boolean);
  const name = parts.join('-').slice(0, 64).replace(/-+$/, '');
  return name || 'SecretsManager-rotation';
};

export const functionNameOf = (fn: FunctionState, fallback: string): string => fn.functionName ?? fallback;

export const functionNameError = (name: string): string | null => {
  const trimmed = name.trim();
  if (!trimmed) return 'Enter a name for the Lambda function.';
  if (!FUNCTION_NAME.test(trimmed)) return `The name must be ${FUNCTION_NAME_HINT}`;
  return null;
};

/** The rotation strategy the function choices add up to. */
export const strategyOf = (fn: FunctionState): RotationStrategy =>
  fn.mode === 'create' ? (fn.credentials === 'master-secret' ? 'alternating-users' : 'single-user') : fn.existingStrategy;

export const needsMasterSecret = (fn: FunctionState): boolean => strategyOf(fn) === 'alternating-users';

export interface FunctionProblems {
  functionName?: string;
  existingArn?: string;
  masterSecretId?: string;
}

/** What stops step 2 on the function side (the engine of the master secret is checked by the server). */
export const functionProblems = (fn: FunctionState, defaultName: string): FunctionProblems => {
  const problems: FunctionProblems = {};
  if (fn.mode === 'create') {
    const error = functionNameError(functionNameOf(fn, defaultName));
    if (error) problems.functionName = error;
  } else if (!fn.existingArn) {
    problems.existingArn = 'Choose the Lambda rotation function.';
  }
  if (needsMasterSecret(fn) && !fn.masterSecretId) problems.masterSecretId = 'Choose the master secret.';
  return problems;
};

export const functionChoiceOf = (fn: FunctionState, defaultName: string): RotationFunctionChoice | null => {
  if (Object.keys(functionProblems(fn, defaultName)).length > 0) return null;
  const strategy = strategyOf(fn);
  const master = strategy === 'alternating-users' && fn.masterSecretId ? { masterSecretId: fn.masterSecretId } : {};
  if (fn.mode === 'create') return { mode: 'create', functionName: functionNameOf(fn, defaultName).trim(), strategy, ...master };
  return fn.existingArn ? { mode: 'existing', functionArn: fn.existingArn, strategy, ...master } : null;
};

// --- The request -----------------------------------------------------------------

/** The RotationRequest the wizard sends, or null while a part of it is incomplete. */
export const rotationRequestOf = ({
  secretId,
  state,
  defaultName,
  network,
}: {
  secretId: string;
  state: WizardState;
  defaultName: string;
  /** The resolved network: a choice, null for no VPC, undefined while incomplete. */
  network: NetworkChoice | null | undefined;
}): RotationRequest | null => {
  const schedule = scheduleOf(state.schedule);
  const fn = functionChoiceOf(state.fn, defaultName);
  if (!state.schedule.enabled || !schedule.ok || !fn || network === undefined) return null;
  return {
    secretId,
    schedule: schedule.schedule,
    ...(schedule.duration ? { duration: schedule.duration } : {}),
    rotateImmediately: state.schedule.rotateImmediately,
    function: fn,
    network,
    // Set at Save, once the operator has read the plan's list of what a shared function serves.
    acknowledgeSharedFunction: false,
  };
};
