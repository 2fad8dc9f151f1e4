import { describe, expect, it } from 'vitest';
import { buildFunctionUpdatePlan, isConsoleFunction, type FunctionUpdateInput } from '../src/function-update.ts';
import { runtimeEndOfLife } from '../src/runtime-end-of-life.ts';

const input = (overrides: Partial<FunctionUpdateInput> = {}): FunctionUpdateInput => ({
  region: 'eu-west-1',
  accountId: '111111111111',
  functionName: 'orders-rotation',
  stackName: 'SecretsManagerRotation-orders-rotation',
  changeSetName: 'rotation-console-update-0123456789ab-cafe0001',
  artifact: {
    bucket: 'rotation-console-111111111111-eu-west-1',
    key: 'rotation-console/rotation-function-0123456789abcdef.zip',
    sha256: 'bmV3',
    managed: true,
  },
  keptParameters: ['endpoint', 'functionName', 'engine', 'rotationStrategy', 'codeS3Key'],
  ...overrides,
});

describe('buildFunctionUpdatePlan', () => {
  it('When the console\u2019s function is updated, then the code is uploaded, an UPDATE change set keeps every parameter but the code\u2019s, runs, and the code is checked, in that order', () => {
    // Act
    const plan = buildFunctionUpdatePlan(input());

    // Assert
    expect(plan.stages).toEqual([['upload-function-code'], ['create-function-change-set'], ['execute-change-set'], ['read-function-arn']]);
    const changeSet = plan.steps.find((s) => s.kind === 'create-function-change-set')!;
    expect(changeSet.input).toMatchObject({
      changeSetType: 'UPDATE',
      parameters: { codeS3Bucket: 'rotation-console-111111111111-eu-west-1', codeS3Key: 'rotation-console/rotation-function-0123456789abcdef.zip' },
      // The code's own parameters are set, never kept.
      keptParameters: ['endpoint', 'functionName', 'engine', 'rotationStrategy'],
    });
    expect(changeSet.cli).toContain('--change-set-type UPDATE');
    expect(changeSet.cli).toContain('ParameterKey=engine,UsePreviousValue=true');
    expect(changeSet.cli).not.toContain('ParameterKey=codeS3Key,UsePreviousValue=true');
    expect(plan.steps.find((s) => s.kind === 'read-function-arn')!.input).toEqual({
      stackName: 'SecretsManagerRotation-orders-rotation',
      functionName: 'orders-rotation',
      codeSha256: 'bmV3',
      update: true,
    });
    // Every command in the plan's region.
    for (const step of plan.steps)
      for (const command of step.cli!.split(' && ')) if (command.startsWith('aws ')) expect(command).toMatch(/--region eu-west-1$/);
  });

  it('When the function is in a member account, then the CLI session first assumes the console\u2019s role there', () => {
    // Act
    const plan = buildFunctionUpdatePlan(
      input({ assumedRole: { roleArn: 'arn:aws:iam::111111111111:role/RotationConsoleOperator', accountId: '111111111111' } }),
    );

    // Assert
    expect(plan.cliSession.split('\n')[0]).toBe(
      'aws configure set role_arn arn:aws:iam::111111111111:role/RotationConsoleOperator --profile rotation-console-111111111111',
    );
  });
});

describe('isConsoleFunction', () => {
  it.each([
    [['ROTATION_STRATEGY', 'DB_ENGINE', 'SECRETS_MANAGER_ENDPOINT'], true],
    [['SECRETS_MANAGER_ENDPOINT', 'EXCLUDE_CHARACTERS'], false],
    [['DB_ENGINE'], false],
  ])('When a function\u2019s variables are %j, then it is the console\u2019s: %s', (names, expected) => {
    expect(isConsoleFunction(names)).toBe(expected);
  });
});

describe('runtimeEndOfLife', () => {
  const now = new Date('2026-12-07T12:00:00Z');

  it.each([
    ['nodejs24.x', { verdict: 'supported', deprecatedOn: '2028-04-30', successor: 'nodejs24.x' }],
    ['python3.10', { verdict: 'deprecated', deprecatedOn: '2026-10-31', blockUpdateOn: '2027-03-03', daysLeft: null, successor: 'python3.14' }],
    ['nodejs22.x', { verdict: 'ending', deprecatedOn: '2027-04-30', daysLeft: 144 }],
    ['ruby3.3', { verdict: 'unlisted', deprecatedOn: null, daysLeft: null, successor: null }],
  ])('When the runtime is %s, then its end of life reads %j', (runtime, expected) => {
    expect(runtimeEndOfLife(runtime, now)).toMatchObject(expected);
  });
});
