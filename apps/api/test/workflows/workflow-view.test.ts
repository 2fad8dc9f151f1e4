import { Workflow } from '@rotation-console/contracts';
import { describe, expect, it } from 'vitest';
import { toWorkflowView } from '../../src/modules/workflows/workflow-view.ts';
import type { StepRecord, WorkflowWithSteps } from '../../src/platform/workflow/records.ts';

const at = '2026-12-07T00:00:00.000Z';
const step = (overrides: Partial<StepRecord>): StepRecord => ({
  workflowId: 'wf-1',
  id: 'watch-rotation',
  position: 1,
  kind: 'watch-first-rotation',
  title: 'Watch the rotation',
  dependsOn: [],
  input: {},
  status: 'failed',
  idempotencyToken: 'token',
  attempts: 1,
  startedAt: at,
  finishedAt: at,
  output: null,
  awsRequestId: null,
  error: 'The rotation failed at setSecret.',
  ...overrides,
});

/** A rotate-now whose watch saw setSecret fail, as the watch step stores it. */
const failedAtSetSecret: WorkflowWithSteps = {
  id: 'wf-1',
  kind: 'rotate-now',
  status: 'failed',
  subject: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/payments/reports-db-AbCdEf',
  input: {},
  plan: {},
  createdBy: { id: 'alice', name: 'Alice', roles: ['operator'], teams: ['payments'] },
  idempotencyKey: null,
  createdAt: at,
  updatedAt: at,
  startedAt: at,
  finishedAt: at,
  error: 'The rotation failed at setSecret.',
  leaseOwner: null,
  leaseExpiresAt: null,
  steps: [
    step({
      output: {
        result: 'failed',
        message: 'The rotation failed at setSecret: getaddrinfo ENOTFOUND reports-db.demo.internal',
        failedStep: 'setSecret',
        cause: 'network',
        fix: 'Run the function in the database VPC.',
        versionId: 'v-2',
        log: [
          {
            step: 'setSecret',
            requestId: 'r-2',
            outcome: 'failed',
            headline: 'setSecret failed: getaddrinfo ENOTFOUND reports-db.demo.internal',
            lines: ['ENOTFOUND reports-db.demo.internal'],
          },
        ],
      },
    }),
  ],
};

describe('toWorkflowView', () => {
  it('When the caller may read the function\u2019s log, then the outcome has the step, the function\u2019s error and the log by step', () => {
    const view = Workflow.parse(toWorkflowView(failedAtSetSecret, { mayReadLogs: true }));
    expect(view.outcome).toMatchObject({ result: 'failed', failedStep: 'setSecret', versionId: 'v-2', logHidden: false });
    expect(view.outcome!.message).toContain('ENOTFOUND');
    expect(view.outcome!.log).toHaveLength(1);
  });

  it('When the caller may not read the function\u2019s log, then neither the outcome nor the watch step\u2019s output carries its lines or words', () => {
    const view = Workflow.parse(toWorkflowView(failedAtSetSecret, { mayReadLogs: false }));
    expect(view.outcome).toMatchObject({ result: 'failed', failedStep: 'setSecret', message: 'The rotation failed at setSecret.', log: [], logHidden: true });
    expect(JSON.stringify(view)).not.toContain('ENOTFOUND');
  });

  it('When the watch itself broke, then the outcome is unknown, never rotated', () => {
    const broken = { ...failedAtSetSecret, steps: [step({ output: null, error: 'AccessDeniedException on DescribeSecret' })] };
    expect(toWorkflowView(broken, { mayReadLogs: true }).outcome).toMatchObject({ result: 'unknown' });
  });
});
