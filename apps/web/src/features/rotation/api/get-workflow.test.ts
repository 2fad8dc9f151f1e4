import type { Workflow } from '@rotation-console/contracts';
import type { Query } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { aWorkflow } from '../../../test/rotation-fixtures.ts';
import { WORKFLOW_POLL_MS, workflowQueryOptions } from './get-workflow.ts';

const intervalFor = (status: 'success' | 'error', data: Workflow | undefined) => {
  const { refetchInterval } = workflowQueryOptions('wf-1');
  if (typeof refetchInterval !== 'function') throw new Error('refetchInterval is not a function');
  return refetchInterval({ state: { status, data } } as unknown as Query<Workflow, Error, Workflow, readonly ['workflows', 'detail', string]>);
};

describe('workflowQueryOptions', () => {
  it('When the workflow is pending or running, then it is polled every second; once finished, polling stops', () => {
    expect(intervalFor('success', aWorkflow({ status: 'pending' }))).toBe(WORKFLOW_POLL_MS);
    expect(intervalFor('success', aWorkflow({ status: 'running' }))).toBe(1000);
    for (const status of ['succeeded', 'failed', 'cancelled'] as const) {
      expect(intervalFor('success', aWorkflow({ status }))).toBe(false);
    }
  });

  it('When the last poll failed, then polling stops until Retry', () => {
    expect(intervalFor('error', aWorkflow({ status: 'running' }))).toBe(false);
  });
});
