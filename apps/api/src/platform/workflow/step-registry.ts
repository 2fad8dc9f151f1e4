import type { Principal } from '../auth.ts';
import type { Logger } from '../logger.ts';
import type { StepOutput } from './records.ts';

export interface StepContext {
  workflow: { id: string; kind: string; subject: string; input: unknown };
  step: { id: string; kind: string; title: string };
  /** The step's stored input. */
  input: unknown;
  /**
   * Created once when the plan was stored; the same on every run of this step, also after a
   * crash. Pass it where AWS takes a client token (`ClientRequestToken`, `ClientToken`).
   */
  idempotencyToken: string;
  /** Outputs of the steps this one depends on, by step id. */
  dependencies: Readonly<Record<string, StepOutput | null>>;
  principal: Principal;
  logger: Logger;
  /** Aborted when the runner stops or loses its lease: stop waiting and return or throw. */
  signal: AbortSignal;
  /** 1 for the first try in this run, 2 for the first retry, ... */
  attempt: number;
  /**
   * Runs `fn` holding the lock on a shared resource (`vpc-endpoint:<region>:<vpcId>`,
   * `lambda-function:<arn>`, `iam-role:<roleName>`), across every API process on the database:
   * wrap a read-then-act ensure in it, so a second workflow's read sees what the first made.
   * Waits while another step holds it (until the signal aborts). One lock at a time: never nest.
   */
  exclusive<T>(resourceKey: string, fn: () => Promise<T>): Promise<T>;
}

export interface StepResult {
  /** What the step found or made: ARNs, ids, "already present". Never a secret value. */
  output?: StepOutput | null;
  awsRequestId?: string | null;
}

/**
 * One kind of step. Write it as an idempotent *ensure*: read the real state first and act
 * only where it differs, because the runner runs it again after a crash (with the same token).
 * Throw an error with `retryable: true` (see StepError) for throttling and 5xx, so it is retried.
 */
export type StepRun = (ctx: StepContext) => Promise<StepResult>;

/** Maps a step kind to the function that ensures it. */
export class StepRegistry {
  readonly #steps = new Map<string, StepRun>();

  constructor(steps: Readonly<Record<string, StepRun>> = {}) {
    for (const [kind, run] of Object.entries(steps)) this.register(kind, run);
  }

  register(kind: string, run: StepRun): this {
    if (this.#steps.has(kind)) throw new Error(`Step kind "${kind}" is registered twice.`);
    this.#steps.set(kind, run);
    return this;
  }

  get(kind: string): StepRun | undefined {
    return this.#steps.get(kind);
  }

  kinds(): string[] {
    return [...this.#steps.keys()];
  }
}
