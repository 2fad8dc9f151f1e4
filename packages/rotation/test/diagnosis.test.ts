import { describe, expect, it } from 'vitest';
import { diagnoseRotationFailure, FIXES } from '../src/diagnosis.ts';

describe('diagnoseRotationFailure', () => {
  it('When the bundled function logs a failed step as JSON, then its step and category are read', () => {
    const lines = [
      'START RequestId: 1',
      JSON.stringify({ level: 'info', message: 'rotation step succeeded', step: 'createSecret' }),
      JSON.stringify({
        level: 'error',
        message: 'rotation step failed',
        step: 'setSecret',
        outcome: 'failed',
        errorCategory: 'authentication',
        error: 'Authentication error: login refused',
      }),
      'END RequestId: 1',
    ];
    expect(diagnoseRotationFailure(lines)).toEqual({
      failedStep: 'setSecret',
      cause: 'authentication',
      summary: 'Authentication error: login refused',
      fix: FIXES.authentication,
    });
  });

  it('When AWS’s Python template times out on the Secrets Manager endpoint, then the fix is the VPC endpoint', () => {
    const lines = ['[ERROR] createSecret: Connect timeout on endpoint URL: "https://secretsmanager.us-east-1.amazonaws.com/"'];
    expect(diagnoseRotationFailure(lines)).toMatchObject({ failedStep: 'createSecret', cause: 'secrets-manager-endpoint' });
  });

  it('When the database cannot be reached, then the cause is the network to the database', () => {
    const lines = ['setSecret: Unable to connect: connect ETIMEDOUT 10.0.1.5:5432'];
    expect(diagnoseRotationFailure(lines)).toMatchObject({ failedStep: 'setSecret', cause: 'network', fix: FIXES.network });
  });

  it('When the role lacks a permission, then the cause is permissions', () => {
    const lines = ['[ERROR] AccessDeniedException: User is not authorized to perform: secretsmanager:GetSecretValue (testSecret)'];
    expect(diagnoseRotationFailure(lines)).toMatchObject({ failedStep: 'testSecret', cause: 'permissions' });
  });

  it('When several steps failed one after another, then the first failure is the cause', () => {
    const failed = (step: string, category: string) =>
      JSON.stringify({ message: 'rotation step failed', step, outcome: 'failed', errorCategory: category, error: `${category} at ${step}` });
    const lines = [failed('createSecret', 'network'), failed('setSecret', 'rotation-state'), failed('finishSecret', 'rotation-state')];
    expect(diagnoseRotationFailure(lines)).toMatchObject({ failedStep: 'createSecret', cause: 'network' });
  });

  it('When the log says nothing useful, then the diagnosis is unknown with the generic fix', () => {
    expect(diagnoseRotationFailure(['START RequestId: 2', 'END RequestId: 2'])).toEqual({
      failedStep: null,
      cause: 'unknown',
      summary: null,
      fix: FIXES.unknown,
    });
  });
});
