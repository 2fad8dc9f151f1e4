import { describe, expect, it } from 'vitest';
import {
  defaultFunctionName,
  functionChoiceOf,
  functionProblems,
  initialWizardState,
  isDurationError,
  rotationRequestOf,
  scheduleOf,
  strategyOf,
  wizardStateFromDefaults,
  type ScheduleState,
} from './wizard-state.ts';

const ON = { rotationEnabled: true };
const OFF = { rotationEnabled: false };
const schedule = (patch: Partial<ScheduleState>): ScheduleState => ({ ...initialWizardState(ON).schedule, ...patch });

describe('scheduleOf', () => {
  it('When an interval is picked, then the schedule is that many days', () => {
    expect(scheduleOf(schedule({ interval: '90' }))).toEqual({ ok: true, schedule: { kind: 'days', days: 90 } });
  });

  it('When an expression is typed, then it replaces the interval and keeps the window', () => {
    expect(scheduleOf(schedule({ interval: '60', expression: ' cron(0 4 ? * SUN *) ', duration: '3h' }))).toEqual({
      ok: true,
      schedule: { kind: 'expression', expression: 'cron(0 4 ? * SUN *)' },
      duration: '3h',
    });
  });

  it('When the custom interval is empty, fractional, 0 or above 1000, then the client refuses it', () => {
    for (const customDays of ['', '1.5', '0', '1001', '-3', 'abc']) {
      expect(scheduleOf(schedule({ interval: 'custom', customDays })).ok).toBe(false);
    }
    expect(scheduleOf(schedule({ interval: 'custom', customDays: '1000' }))).toEqual({ ok: true, schedule: { kind: 'days', days: 1000 } });
  });

  it('When the secret\u2019s team has a limit, then the messages name 1 to the limit, and a number AWS takes beyond it is left to the limit\u2019s own message', () => {
    const limit = { team: 'payments', maxIntervalDays: 90 };

    expect(scheduleOf(schedule({ interval: 'custom', customDays: '' }), limit)).toMatchObject({ ok: false, error: 'Enter a number of days from 1 to 90.' });
    expect(scheduleOf(schedule({ interval: 'custom', customDays: '1001' }), limit)).toMatchObject({
      ok: false,
      error: 'The interval must be a whole number of days from 1 to 90.',
    });
    expect(scheduleOf(schedule({ interval: 'custom', customDays: '120' }), limit)).toMatchObject({ ok: true, schedule: { kind: 'days', days: 120 } });
    expect(scheduleOf(schedule({ interval: 'custom', customDays: '' }))).toMatchObject({ ok: false, error: 'Enter a number of days from 1 to 1000.' });
  });

  it('When a server error names the window, then it belongs to the duration field', () => {
    expect(isDurationError('The window duration must be 1h to 24h.')).toBe(true);
    expect(isDurationError('cron() needs six fields.')).toBe(false);
  });
});

describe('the function choice', () => {
  it('When the engine and name are known, then the default name is a Lambda-valid SecretsManager-<engine>-<name>', () => {
    expect(defaultFunctionName('postgres', 'prod/orders/postgres')).toBe('SecretsManager-postgres-prod-orders-postgres');
    expect(defaultFunctionName(null, 'x'.repeat(100))).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(defaultFunctionName(null, '///')).toBe('SecretsManager');
  });

  it('When "Use a secret that I have previously stored" is chosen, then rotation alternates users and needs a master secret', () => {
    // Arrange
    const fn = { ...initialWizardState(OFF).fn, credentials: 'master-secret' as const };

    // Act / Assert
    expect(strategyOf(fn)).toBe('alternating-users');
    expect(functionProblems(fn, 'rotate')).toEqual({ masterSecretId: 'Choose the master secret.' });
    expect(functionChoiceOf({ ...fn, masterSecretId: 'prod/master' }, 'rotate')).toEqual({
      mode: 'create',
      functionName: 'rotate',
      strategy: 'alternating-users',
      masterSecretId: 'prod/master',
    });
  });

  it('When single-user rotation is chosen after a master secret was picked, then the master secret is not sent', () => {
    // Arrange
    const fn = { ...initialWizardState(OFF).fn, mode: 'existing' as const, existingArn: 'arn:f', masterSecretId: 'prod/master' };

    // Act / Assert
    expect(functionChoiceOf(fn, 'unused')).toEqual({ mode: 'existing', functionArn: 'arn:f', strategy: 'single-user' });
  });
});

describe('rotationRequestOf', () => {
  it('When every part is complete, then the request has them all; when rotation is off, there is none', () => {
    // Arrange
    const state = initialWizardState(ON);

    // Act
    const request = rotationRequestOf({ secretId: 's', state, defaultName: 'rotate', network: null });
    const off = rotationRequestOf({
      secretId: 's',
      state: { ...state, schedule: { ...state.schedule, enabled: false } },
      defaultName: 'rotate',
      network: null,
    });
    const incompleteNetwork = rotationRequestOf({ secretId: 's', state, defaultName: 'rotate', network: undefined });

    // Assert
    expect(request).toEqual({
      secretId: 's',
      schedule: { kind: 'days', days: 30 },
      rotateImmediately: true,
      function: { mode: 'create', functionName: 'rotate', strategy: 'single-user' },
      network: null,
      acknowledgeSharedFunction: false,
    });
    expect(off).toBeNull();
    expect(incompleteNetwork).toBeNull();
  });
});

describe('initialWizardState: "Enable automatic rotation" as the console\u2019s page opens it', () => {
  it('When the secret has no rotation, then it starts unticked; when rotation is on, ticked', () => {
    expect(initialWizardState(OFF).schedule.enabled).toBe(false);
    expect(initialWizardState(ON).schedule.enabled).toBe(true);
    expect(wizardStateFromDefaults({ schedule: { kind: 'days', days: 30 }, network: 'auto' }, OFF).schedule.enabled).toBe(false);
  });
});

describe('wizardStateFromDefaults: a team\u2019s defaults (config/teams.json) as the wizard\u2019s first state', () => {
  it('When payments\u2019 defaults are read (30 days, 4h, a new single-user function, network found), then the preset, window and function are set', () => {
    // Act
    const state = wizardStateFromDefaults(
      { schedule: { kind: 'days', days: 30 }, duration: '4h', function: { mode: 'create', strategy: 'single-user' }, network: 'auto' },
      OFF,
    );

    // Assert
    expect(state.schedule).toMatchObject({ interval: '30', customDays: '', expression: '', duration: '4h' });
    expect(state.fn).toMatchObject({ mode: 'create', credentials: 'this-secret' });
    expect(state.network).toEqual(initialWizardState(OFF).network);
  });

  it('When the interval is not one of the presets (14 days), then Custom holds it', () => {
    expect(wizardStateFromDefaults({ schedule: { kind: 'days', days: 14 }, network: 'auto' }, OFF).schedule).toMatchObject({
      interval: 'custom',
      customDays: '14',
    });
  });

  it('When the team has its own multi-user function and a fixed VPC, then both are chosen', () => {
    // Act
    const state = wizardStateFromDefaults(
      {
        schedule: { kind: 'expression', expression: 'cron(0 4 ? * SUN *)' },
        function: { mode: 'existing', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:team-rotation', strategy: 'alternating-users' },
        network: { vpcId: 'vpc-1', subnetIds: ['subnet-a'], securityGroupIds: ['sg-1'], createSecretsManagerEndpoint: true },
      },
      OFF,
    );

    // Assert
    expect(state.schedule.expression).toBe('cron(0 4 ? * SUN *)');
    expect(state.fn).toMatchObject({
      mode: 'existing',
      existingArn: 'arn:aws:lambda:us-east-1:123456789012:function:team-rotation',
      existingStrategy: 'alternating-users',
    });
    expect(state.network).toEqual({ vpcId: 'vpc-1', subnetIds: ['subnet-a'], securityGroupIds: ['sg-1'], createEndpoint: true });
  });

  it('When a team sets a multi-user new function, then "Use a secret that I have previously stored" is chosen', () => {
    expect(wizardStateFromDefaults({ function: { mode: 'create', strategy: 'alternating-users' }, network: 'auto' }, OFF).fn.credentials).toBe('master-secret');
  });
});
