import type { BatchRequestInput, RotationStrategy } from '@rotation-console/contracts';

type ActionInput = BatchRequestInput['action'];

export type IntervalChoice = '30' | '60' | '90' | 'custom' | 'expression';

/** The batch's one configuration, as the form holds it (text as typed). */
export interface EnableConfiguration {
  interval: IntervalChoice;
  customDays: string;
  expression: string;
  duration: string;
  rotateImmediately: boolean;
  functionMode: 'create' | 'existing';
  functionName: string;
  functionArn: string | null;
  strategy: RotationStrategy;
  masterSecretId: string;
  acknowledgeSharedFunction: boolean;
}

export const initialEnableConfiguration = (): EnableConfiguration => ({
  interval: '30',
  customDays: '',
  expression: '',
  duration: '',
  // As the API's default for a batch: each secret's first rotation happens in its own staggered window.
  rotateImmediately: false,
  functionMode: 'existing',
  functionName: '',
  functionArn: null,
  strategy: 'single-user',
  masterSecretId: '',
  acknowledgeSharedFunction: false,
});

/** What the form still lacks, by field; empty when it can be planned. The API checks the rest (the schedule's grammar, names AWS refuses). */
export type ConfigurationProblems = Partial<Record<'customDays' | 'expression' | 'functionName' | 'functionArn' | 'masterSecretId', string>>;

export const configurationProblems = (c: EnableConfiguration): ConfigurationProblems => {
  const problems: ConfigurationProblems = {};
  if (c.interval === 'custom') {
    const days = Number(c.customDays);
    if (!/^\d+$/.test(c.customDays.trim()) || days < 1 || days > 1000) problems.customDays = 'Enter a whole number of days from 1 to 1000.';
  }
  if (c.interval === 'expression' && c.expression.trim() === '') problems.expression = 'Enter a rate() or cron() expression.';
  if (c.functionMode === 'create' && c.functionName.trim() === '') problems.functionName = 'Enter a name for the new function.';
  if (c.functionMode === 'existing' && !c.functionArn) problems.functionArn = 'Choose a Lambda function.';
  if (c.strategy === 'alternating-users' && c.masterSecretId.trim() === '') problems.masterSecretId = 'Enter the master secret for multi-user rotation.';
  return problems;
};

/** The action the API takes for the form, once it has no problems. */
export const enableActionOf = (c: EnableConfiguration): ActionInput => {
  const schedule =
    c.interval === 'expression'
      ? { kind: 'expression' as const, expression: c.expression.trim() }
      : { kind: 'days' as const, days: Number(c.interval === 'custom' ? c.customDays.trim() : c.interval) };
  const masterSecretId = c.strategy === 'alternating-users' ? c.masterSecretId.trim() : undefined;
  const fn =
    c.functionMode === 'create'
      ? { mode: 'create' as const, functionName: c.functionName.trim(), strategy: c.strategy, ...(masterSecretId ? { masterSecretId } : {}) }
      : { mode: 'existing' as const, functionArn: c.functionArn ?? '', strategy: c.strategy, ...(masterSecretId ? { masterSecretId } : {}) };
  return {
    action: 'enable',
    schedule,
    ...(c.duration.trim() ? { duration: c.duration.trim() } : {}),
    rotateImmediately: c.rotateImmediately,
    function: fn,
    network: null,
    acknowledgeSharedFunction: c.acknowledgeSharedFunction,
  };
};
