import { EventEmitter } from 'node:events';
import type { StepStatus, WorkflowStatus } from './records.ts';

export interface StepEvent {
  workflowId: string;
  stepId: string;
  status: StepStatus;
  attempts: number;
  at: string;
  error: string | null;
  awsRequestId: string | null;
}

export interface WorkflowEvent {
  workflowId: string;
  status: WorkflowStatus;
  at: string;
  error: string | null;
}

interface WorkflowEventMap {
  step: [StepEvent];
  workflow: [WorkflowEvent];
}

/**
 * Step and workflow changes made by this process's runner, for server-sent events. Another
 * API process's runner emits on its own emitter: a stream that must see every change polls
 * the store as well. Listeners run synchronously inside the runner, so they must be quick.
 */
export class WorkflowEvents extends EventEmitter<WorkflowEventMap> {}
