import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toJson, type StepOutput, type WorkflowStatus } from './records.ts';

/** The runner's lease was taken over: what it was doing is someone else's now. */
export class LeaseLostError extends Error {
  readonly workflowId: string;
  constructor(workflowId: string) {
    super(`Lost the lease on workflow ${workflowId}; another runner holds it.`);
    this.name = 'LeaseLostError';
    this.workflowId = workflowId;
  }
}

/**
 * The lease holder's writes to a workflow and its steps. Each is fenced by the lease:
 * it changes rows only while `lease_owner` is still this runner, so a runner that stalled
 * past its lease cannot overwrite the work of the one that took over.
 */
export class ProgressStore {
  readonly #db: Kysely<Database>;
  readonly #workflowId: string;
  readonly #owner: string;

  constructor(db: Kysely<Database>, workflowId: string, owner: string) {
    this.#db = db;
    this.#workflowId = workflowId;
    this.#owner = owner;
  }

  async markWorkflowRunning(at: string): Promise<void> {
    const result = await this.#db
      .updateTable('workflows')
      .set((eb) => ({ status: 'running', started_at: eb.fn.coalesce('started_at', eb.val(at)), updated_at: at }))
      .where('id', '=', this.#workflowId)
      .where('lease_owner', '=', this.#owner)
      .executeTakeFirst();
    this.#check(result.numUpdatedRows);
  }

  /** Counts an attempt; the first attempt of a run also sets the status and start time. */
  async startAttempt(stepId: string, at: string, first: boolean): Promise<void> {
    const result = await this.#db
      .updateTable('workflow_steps')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        ...(first ? { status: 'running' as const, started_at: at, finished_at: null, error: null } : {}),
      }))
      .where('workflow_id', '=', this.#workflowId)
      .where('step_id', '=', stepId)
      .where((eb) => this.#leaseHeld(eb))
      .executeTakeFirst();
    this.#check(result.numUpdatedRows);
  }

  async finishStep(
    stepId: string,
    outcome: { status: 'succeeded' | 'failed'; at: string; output: StepOutput | null; awsRequestId: string | null; error: string | null },
  ): Promise<void> {
    const result = await this.#db
      .updateTable('workflow_steps')
      .set({
        status: outcome.status,
        finished_at: outcome.at,
        output: outcome.output === null ? null : toJson(outcome.output),
        aws_request_id: outcome.awsRequestId,
        error: outcome.error,
      })
      .where('workflow_id', '=', this.#workflowId)
      .where('step_id', '=', stepId)
      .where((eb) => this.#leaseHeld(eb))
      .executeTakeFirst();
    this.#check(result.numUpdatedRows);
  }

  async skipStep(stepId: string, at: string, reason: string): Promise<void> {
    const result = await this.#db
      .updateTable('workflow_steps')
      .set({ status: 'skipped', finished_at: at, error: reason })
      .where('workflow_id', '=', this.#workflowId)
      .where('step_id', '=', stepId)
      .where((eb) => this.#leaseHeld(eb))
      .executeTakeFirst();
    this.#check(result.numUpdatedRows);
  }

  /** Stores the end and gives the lease up in the same statement, so no one resumes a finished workflow. */
  async finishWorkflow(status: WorkflowStatus, at: string, error: string | null): Promise<void> {
    const result = await this.#db
      .updateTable('workflows')
      .set({ status, finished_at: at, updated_at: at, error, lease_owner: null, lease_expires_at: null })
      .where('id', '=', this.#workflowId)
      .where('lease_owner', '=', this.#owner)
      .executeTakeFirst();
    this.#check(result.numUpdatedRows);
  }

  #leaseHeld(eb: ExpressionBuilder<Database, 'workflow_steps'>) {
    return eb.exists(
      eb.selectFrom('workflows').select('workflows.id').where('workflows.id', '=', this.#workflowId).where('workflows.lease_owner', '=', this.#owner),
    );
  }

  #check(updated: bigint): void {
    if (updated !== 1n) throw new LeaseLostError(this.#workflowId);
  }
}
