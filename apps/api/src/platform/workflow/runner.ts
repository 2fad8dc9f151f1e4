import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { Target } from '../targets/target.ts';
import { runInTarget } from '../targets/target-scope.ts';
import { runAsActor, type AwsActor } from '../team-role.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './backoff.ts';
import { WorkflowEvents } from './events.ts';
import { admitWithRetries, executePlan } from './execute-plan.ts';
import { LeaseStore } from './lease-store.ts';
import { LeaseLostError, ProgressStore } from './progress-store.ts';
import { ResourceLocks } from './resource-locks.ts';
import { FINISHED_STEP, type StepRecord, type WorkflowRecord, type WorkflowStatus } from './records.ts';
import { errorText } from './step-error.ts';
import type { StepRegistry } from './step-registry.ts';
import { WorkflowStore } from './workflow-store.ts';

export interface WorkflowRunnerOptions {
  db: Kysely<Database>;
  registry: StepRegistry;
  logger: Logger;
  /** Names this runner in `lease_owner`; default host:pid:random. */
  owner?: string | undefined;
  /** How long a lease lasts without a heartbeat; another process resumes the workflow after that. Default 30 s. */
  leaseMs?: number | undefined;
  /** How often the lease is renewed; default a third of leaseMs. */
  heartbeatMs?: number | undefined;
  /** Steps of one workflow running at once; default 4. */
  stepConcurrency?: number | undefined;
  /** Workflows this runner runs at once; more wait in its queue. Default 4. */
  workflowConcurrency?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  events?: WorkflowEvents | undefined;
  /**
   * How often a step waiting for a shared resource another workflow holds looks again
   * (StepContext.exclusive); the steps' own polling pace. Default 2 s. The lock's lease and
   * heartbeat are the workflow lease's.
   */
  lockPollMs?: number | undefined;
  /**
   * Asked before every start and resume, and again before each step: may the workflow's
   * creator still do this (the policy, against the secret's team now), and as whom its AWS
   * calls run. A refusal ends the workflow failed: at start before any step runs, later
   * before the next step (steps already running end, the rest are skipped). A throw leaves
   * it to be tried again. Unset: every workflow runs with the console's own credentials.
   */
  admit?: ((workflow: WorkflowRecord) => Promise<Admission>) | undefined;
  /**
   * The account-region a workflow acts in, from its subject (the secret's ARN): its admission and
   * every step run in it (targets/target-scope.ts). A throw (a target the console no longer covers)
   * leaves it to be tried again. Unset or null: the home target.
   */
  targetOf?: ((subject: string) => Promise<Target | null>) | undefined;
}

export type Admission = { allowed: true; actor: AwsActor | null } | { allowed: false; reason: string };

export type RunResult = { workflowId: string } & (
  | { result: 'finished'; status: WorkflowStatus }
  /** Another runner holds it, it is finished already, or it does not exist. */
  | { result: 'not-acquired' }
  /** Stopped, abandoned or lost the lease before the end; it will be resumed. */
  | { result: 'interrupted'; reason: string }
);

interface ActiveRun {
  controller: AbortController;
  done: Promise<RunResult>;
}

/**
 * Runs stored workflows in the background of an API process. Before running one it takes
 * the workflow's lease in the database and renews it while it runs, so with several API
 * processes on one database each workflow runs in exactly one of them; if that process dies,
 * the lease runs out and another process resumes the workflow where it stopped.
 */
export class WorkflowRunner {
  readonly owner: string;
  readonly events: WorkflowEvents;
  readonly #db: Kysely<Database>;
  readonly #registry: StepRegistry;
  readonly #logger: Logger;
  readonly #leases: LeaseStore;
  readonly #store: WorkflowStore;
  readonly #leaseMs: number;
  readonly #heartbeatMs: number;
  readonly #stepConcurrency: number;
  readonly #workflowConcurrency: number;
  readonly #retry: RetryPolicy;
  readonly #admit: (workflow: WorkflowRecord) => Promise<Admission>;
  readonly #targetOf: ((subject: string) => Promise<Target | null>) | undefined;
  readonly #locks: ResourceLocks;
  readonly #queue: string[] = [];
  readonly #waiting = new Map<string, { promise: Promise<RunResult>; resolve: (r: RunResult) => void }>();
  readonly #active = new Map<string, ActiveRun>();
  readonly #abandoned = new Set<string>();
  #idleWaiters: (() => void)[] = [];
  #sweep: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(options: WorkflowRunnerOptions) {
    this.#db = options.db;
    this.#registry = options.registry;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#logger = options.logger.child({ component: 'workflow-runner', runner: this.owner });
    this.events = options.events ?? new WorkflowEvents();
    this.#leases = new LeaseStore(this.#db);
    this.#store = new WorkflowStore(this.#db);
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#heartbeatMs = options.heartbeatMs ?? Math.max(Math.floor(this.#leaseMs / 3), 10);
    this.#stepConcurrency = Math.max(options.stepConcurrency ?? 4, 1);
    this.#workflowConcurrency = Math.max(options.workflowConcurrency ?? 4, 1);
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#admit = options.admit ?? (() => Promise.resolve({ allowed: true, actor: null }));
    this.#targetOf = options.targetOf;
    this.#locks = new ResourceLocks(this.#db, {
      runner: this.owner,
      leaseMs: this.#leaseMs,
      heartbeatMs: this.#heartbeatMs,
      pollMs: options.lockPollMs ?? 2000,
    });
  }
  /** The step kinds this runner can run (the ownership matrix checks each has a row). */
  stepKinds(): string[] {
    return this.#registry.kinds();
  }

  /** Starts the workflow in the background; never throws (what goes wrong is logged and stored). */
  start(workflowId: string): void {
    void this.run(workflowId);
  }

  /** Like start(), and resolves when this runner is done with the workflow. Never rejects. */
  run(workflowId: string): Promise<RunResult> {
    if (this.#stopping) return Promise.resolve({ workflowId, result: 'interrupted', reason: 'the runner is stopping' });
    const active = this.#active.get(workflowId);
    if (active) return active.done;
    const waiting = this.#waiting.get(workflowId);
    if (waiting) return waiting.promise;
    let resolve!: (r: RunResult) => void;
    const promise = new Promise<RunResult>((r) => (resolve = r));
    this.#waiting.set(workflowId, { promise, resolve });
    this.#queue.push(workflowId);
    this.#pump();
    return promise;
  }

  /**
   * Queues every unfinished workflow whose lease is free or expired: at boot, those this
   * process left; later, those of a process that died. Returns the ids it queued; each is
   * run only if its lease can still be taken when its turn comes.
   */
  async resumeUnfinished(): Promise<string[]> {
    if (this.#stopping) return [];
    const ids = (await this.#leases.findResumable()).filter((id) => !this.#active.has(id) && !this.#waiting.has(id));
    if (ids.length > 0) this.#logger.info({ count: ids.length }, 'resuming unfinished workflows');
    for (const id of ids) this.start(id);
    return ids;
  }

  /** Calls resumeUnfinished() every intervalMs, so workflows of a process that died are picked up. */
  startSweeping(intervalMs: number): void {
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = setInterval(() => {
      this.resumeUnfinished().catch((error: unknown) => this.#logger.warn({ err: errorText(error) }, 'could not look for unfinished workflows'));
    }, intervalMs);
    this.#sweep.unref();
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.#active.size === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * At shutdown: starts nothing new and waits up to graceMs for running steps to end (their
   * results are stored, and the lease is released so another process can go on at once).
   * Steps still running then are abandoned: their lease is left to run out, because such a
   * step may still be talking to AWS until this process exits.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.#stopping = true;
    if (this.#sweep) clearInterval(this.#sweep);
    for (const id of this.#queue.splice(0)) this.#settle(id, { workflowId: id, result: 'interrupted', reason: 'the runner stopped' });
    const all = Promise.all([...this.#active.values()].map((a) => a.done));
    const graceMs = options.graceMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      for (const [id, active] of this.#active) {
        this.#abandoned.add(id);
        active.controller.abort(new Error('The runner stopped; the step was abandoned.'));
      }
      await all;
    }
  }

  #pump(): void {
    while (!this.#stopping && this.#active.size < this.#workflowConcurrency && this.#queue.length > 0) {
      const id = this.#queue.shift();
      if (id === undefined) break;
      const controller = new AbortController();
      const done = this.#execute(id, controller).catch((error: unknown): RunResult => {
        this.#logger.error({ workflowId: id, err: errorText(error) }, 'workflow run failed');
        return { workflowId: id, result: 'interrupted', reason: errorText(error) };
      });
      this.#active.set(id, { controller, done });
      void done.then((result) => {
        this.#active.delete(id);
        this.#abandoned.delete(id);
        this.#settle(id, result);
        this.#pump();
        this.#notifyIdle();
      });
    }
    this.#notifyIdle();
  }

  async #execute(workflowId: string, controller: AbortController): Promise<RunResult> {
    const logger = this.#logger.child({ workflowId });
    if (!(await this.#leases.acquire(workflowId, this.owner, this.#leaseMs))) return { workflowId, result: 'not-acquired' };

    const heartbeat = setInterval(() => {
      this.#leases
        .renew(workflowId, this.owner, this.#leaseMs)
        .then((held) => {
          if (!held) controller.abort(new LeaseLostError(workflowId));
        })
        .catch((error: unknown) => logger.warn({ err: errorText(error) }, 'could not renew the lease; trying again'));
    }, this.#heartbeatMs);
    heartbeat.unref();

    let release = true;
    try {
      const workflow = await this.#store.get(workflowId);
      if (!workflow) return { workflowId, result: 'not-acquired' };
      // The secret's account and region: the admission's reads and every step's calls act there.
      const target = this.#targetOf ? await this.#targetOf(workflow.subject) : null;
      const inTarget = <T>(fn: () => Promise<T>): Promise<T> => (target ? runInTarget(target, fn) : fn());
      // A throttled or failed look is no refusal: tried again with the steps' backoff, as before each step.
      const admission = await inTarget(() => admitWithRetries(() => this.#admit(workflow), this.#retry, controller.signal, logger));
      if (!admission.allowed) {
        release = false; // ending it released it
        await this.#refuse(workflow.id, workflow.steps, admission.reason, logger);
        return { workflowId, result: 'finished', status: 'failed' };
      }
      logger.info({ kind: workflow.kind, subject: workflow.subject }, 'running workflow');
      // The creator's AWS identity for every step, never that of whichever request or sweep started the run.
      const outcome = await inTarget(() =>
        runAsActor(admission.actor, () =>
          executePlan({
            workflow,
            progress: new ProgressStore(this.#db, workflowId, this.owner),
            registry: this.#registry,
            events: this.events,
            logger,
            retry: this.#retry,
            concurrency: this.#stepConcurrency,
            signal: controller.signal,
            stopping: () => this.#stopping,
            locks: this.#locks,
            // Asked with the console's own credentials, as at start: the team's role may not even see a secret given to another team.
            admitStep: admitEachStep(admission, () => runAsActor(null, () => this.#admit(workflow))),
          }),
        ),
      );
      if (outcome.result === 'refused') {
        release = false; // ending it released it
        await this.#refuse(workflow.id, (await this.#store.get(workflow.id))?.steps ?? [], outcome.reason, logger);
        return { workflowId, result: 'finished', status: 'failed' };
      }
      if (outcome.result === 'interrupted') {
        // Abandoned steps may still be at work: let the lease run out instead of handing it on.
        release = !this.#abandoned.has(workflowId) && !(controller.signal.reason instanceof LeaseLostError);
        logger.warn({ reason: outcome.reason }, 'workflow interrupted; it will be resumed');
        return { workflowId, result: 'interrupted', reason: outcome.reason };
      }
      release = false; // finishing released it
      logger.info({ status: outcome.status }, 'workflow finished');
      await this.#auditEnd(workflow.id, outcome.status, logger);
      return { workflowId, result: 'finished', status: outcome.status };
    } finally {
      clearInterval(heartbeat);
      if (release) {
        await this.#leases.release(workflowId, this.owner).catch((error: unknown) => logger.warn({ err: errorText(error) }, 'could not release the lease'));
      }
    }
  }

  /**
   * Ends a workflow its creator may no longer run: its unfinished steps skipped, the workflow
   * failed with the reason, and an audit record of the denial; nothing more is asked of AWS.
   */
  async #refuse(workflowId: string, steps: readonly StepRecord[], reason: string, logger: Logger): Promise<void> {
    const progress = new ProgressStore(this.#db, workflowId, this.owner);
    const at = new Date().toISOString();
    const error = `no longer allowed: ${reason}`;
    for (const step of steps) if (!FINISHED_STEP.has(step.status)) await progress.skipStep(step.id, at, error);
    await progress.finishWorkflow('failed', at, error);
    logger.warn({ reason }, 'workflow refused: its creator may no longer run it');
    try {
      this.events.emit('workflow', { workflowId, status: 'failed', at, error });
    } catch (err) {
      logger.warn({ err: errorText(err) }, 'a workflow listener failed');
    }
    const workflow = await this.#store.get(workflowId);
    if (!workflow) return;
    await this.#store
      .appendAudit({
        actor: { id: workflow.createdBy.id, name: workflow.createdBy.name },
        action: `${workflow.kind}.denied`,
        subject: workflow.subject,
        after: { status: 'failed', error },
        workflowId,
        outcome: 'denied',
      })
      .catch((err: unknown) => logger.error({ err: errorText(err) }, 'could not write the audit record of a refused workflow'));
  }

  /** The audit trail records how each workflow ended, in the name of whoever asked for it. */
  async #auditEnd(workflowId: string, status: WorkflowStatus, logger: Logger): Promise<void> {
    try {
      const workflow = await this.#store.get(workflowId);
      if (!workflow) return;
      await this.#store.appendAudit({
        actor: { id: workflow.createdBy.id, name: workflow.createdBy.name },
        action: `${workflow.kind}.finish`,
        subject: workflow.subject,
        after: { status, error: workflow.error },
        workflowId,
        outcome: status,
      });
    } catch (error) {
      logger.error({ err: errorText(error) }, 'could not write the audit record of a finished workflow');
    }
  }

  #settle(workflowId: string, result: RunResult): void {
    const waiting = this.#waiting.get(workflowId);
    this.#waiting.delete(workflowId);
    waiting?.resolve(result);
  }

  #notifyIdle(): void {
    if (this.#active.size > 0 || this.#queue.length > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** How long the workflow's own admission stands for its first step: the moments it takes to get there. */
export const FIRST_STEP_ADMISSION_MS = 1000;

/**
 * Each step is admitted again before it runs (the secret may have changed hands since the last
 * one). The first step to run after the workflow was admitted takes that admission when it is
 * less than FIRST_STEP_ADMISSION_MS old: asking AWS again a few ms later learns nothing new, and
 * a batch of 500 secrets would pay one read of each secret more for it. Every later step asks
 * again, and so does the first when the admission is older (a slow database between the two).
 */
const admitEachStep = <T>(workflowAdmission: T, admit: () => Promise<T>, now = () => performance.now()) => {
  let fresh: { admission: T; at: number } | null = { admission: workflowAdmission, at: now() };
  return (): Promise<T> => {
    const kept = fresh;
    fresh = null;
    return kept && now() - kept.at < FIRST_STEP_ADMISSION_MS ? Promise.resolve(kept.admission) : admit();
  };
};
