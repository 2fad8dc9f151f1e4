import { describe, expect, it } from 'vitest';
import { aRotationPlan } from '../../../test/rotation-fixtures.ts';
import { planRows, stepForErrorPath } from './plan.ts';

describe('planRows', () => {
  it('When two steps share a stage, then they share an order number and name each other', () => {
    // Arrange / Act
    const rows = planRows(aRotationPlan());

    // Assert
    expect(rows.map((row) => [row.step.id, row.order])).toEqual([
      ['change-set', 1],
      ['execute', 2],
      ['arn', 3],
      ['permission', 4],
      ['vpc', 4],
      ['rotate', 5],
    ]);
    expect(rows.find((row) => row.step.id === 'vpc')?.runsWith).toEqual(['Let Secrets Manager invoke the function']);
  });

  it('When a step is in no stage, then it still shows, last', () => {
    // Arrange / Act
    const rows = planRows(aRotationPlan({ stages: [['change-set']] }));

    // Assert
    expect(rows).toHaveLength(6);
    expect(rows.at(-1)?.order).toBe(2);
  });
});

describe('stepForErrorPath', () => {
  it('When the API names a field, then the wizard step that owns it is found', () => {
    expect(stepForErrorPath('schedule.expression')).toBe(0);
    expect(stepForErrorPath('duration')).toBe(0);
    expect(stepForErrorPath('function.masterSecretId')).toBe(1);
    expect(stepForErrorPath('network.subnetIds[0]')).toBe(1);
    expect(stepForErrorPath('secretId')).toBeNull();
  });
});
