import { setTimeout as delay } from 'node:timers/promises';
import type { StepContext, StepResult } from '../../../platform/workflow/step-registry.ts';

/** How long steps wait between looks at a resource that is still changing. */
export interface Pacing {
  pollMs: number;
  /** How long to wait for a stack, a function update or the first rotation. */
  waitTimeoutMs: number;
}

export const DEFAULT_PACING: Pacing = { pollMs: 2000, waitTimeoutMs: 10 * 60_000 };

export const input = <T>(ctx: StepContext) => ctx.input as T;

/** A dependency's output field, which the plan guarantees is there once the dependency succeeded. */
export const fromDependency = <T = string>(ctx: StepContext, stepId: string, field: string): T | undefined =>
  (ctx.dependencies[stepId]?.[field] as T | undefined) ?? undefined;

/** The function ARN: from the step that read it off the new stack or used it, or the one the plan named. */
export const functionArnOf = (ctx: StepContext): string =>
  fromDependency(ctx, 'read-function-arn', 'functionArn') ??
  fromDependency(ctx, 'rotate-secret', 'functionArn') ??
  input<{ functionArn: string }>(ctx).functionArn;

export const requestIdOf = (out: { $metadata?: { requestId?: string } }) => out.$metadata?.requestId ?? null;

export const done = (output: Record<string, unknown>, awsRequestId: string | null = null): StepResult => ({ output, awsRequestId });

/** Polls `look` until it returns a value, the signal aborts, or the timeout passes. */
export const waitFor = async <T>(ctx: StepContext, pacing: Pacing, what: string, look: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + pacing.waitTimeoutMs;
  for (;;) {
    const found = await look();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${Math.round(pacing.waitTimeoutMs / 1000)} s.`);
    await delay(pacing.pollMs, undefined, { signal: ctx.signal });
  }
};
