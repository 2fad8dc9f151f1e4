import type { Selectable } from 'kysely';
import type { Principal } from '../auth.ts';
import type { StepStatus, WorkflowStepsTable, WorkflowStatus, WorkflowsTable } from '../db/schema.ts';

export type { StepStatus, WorkflowStatus };

/** What a step found or made: ARNs, ids, "already present". Never a secret value. */
export type StepOutput = Record<string, unknown>;

/** One step of a plan as the caller hands it in; the store adds status and a token. */
export interface StepSpec {
  id: string;
  kind: string;
  /** Shown to people; defaults to the kind. */
  title?: string;
  dependsOn: readonly string[];
  /** What the step is asked to ensure. Never a secret value. */
  input?: unknown;
}

/** A plan is stored whole (it is what the operator saw); its `steps` become step rows. */
export interface WorkflowPlan {
  steps: readonly StepSpec[];
}

export interface WorkflowRecord {
  id: string;
  kind: string;
  status: WorkflowStatus;
  subject: string;
  input: unknown;
  plan: unknown;
  createdBy: Principal;
  idempotencyKey: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
}

export interface StepRecord {
  workflowId: string;
  id: string;
  position: number;
  kind: string;
  title: string;
  dependsOn: string[];
  input: unknown;
  status: StepStatus;
  idempotencyToken: string;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  output: StepOutput | null;
  awsRequestId: string | null;
  error: string | null;
}

export interface WorkflowWithSteps extends WorkflowRecord {
  steps: StepRecord[];
}

export const FINISHED_WORKFLOW: ReadonlySet<WorkflowStatus> = new Set(['succeeded', 'failed', 'cancelled']);
export const FINISHED_STEP: ReadonlySet<StepStatus> = new Set(['succeeded', 'failed', 'skipped']);

export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
export const fromJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export const toWorkflowRecord = (row: Selectable<WorkflowsTable>): WorkflowRecord => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  subject: row.subject,
  input: fromJson(row.input),
  plan: fromJson(row.plan),
  createdBy: fromJson(row.created_by) as Principal,
  idempotencyKey: row.idempotency_key,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  error: row.error,
  leaseOwner: row.lease_owner,
  leaseExpiresAt: row.lease_expires_at,
});

export const toStepRecord = (row: Selectable<WorkflowStepsTable>): StepRecord => ({
  workflowId: row.workflow_id,
  id: row.step_id,
  position: row.position,
  kind: row.kind,
  title: row.title,
  dependsOn: fromJson(row.depends_on) as string[],
  input: fromJson(row.input),
  status: row.status,
  idempotencyToken: row.idempotency_token,
  attempts: row.attempts,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  output: fromJson(row.output) as StepOutput | null,
  awsRequestId: row.aws_request_id,
  error: row.error,
});
