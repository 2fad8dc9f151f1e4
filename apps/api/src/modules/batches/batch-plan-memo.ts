import { AsyncLocalStorage } from 'node:async_hooks';
import type { OwnershipGateway } from '../ownership/ownership.aws.ts';
import type { DiscoveryGateway } from '../rotation/discovery.aws.ts';

/** How long an admission of a batch's item trusts the function's owner another item's admission read. */
export const BATCH_ADMISSION_MEMO_MS = 5000;

type Scope =
  /** One batch plan: its own memory, gone when the plan ends. */
  | { kind: 'plan'; memory: Map<string, Promise<unknown>> }
  /** The admissions of one batch's items, in this process: the function only, for a few seconds. */
  | { kind: 'admission'; batchId: string };

/**
 * One batch plan plans every secret with the wizard's plan service, which reads the chosen function
 * (Lambda GetFunction, twice, and its policy) and the secrets that use it (a ListSecrets of the whole
 * account-region) once per secret. Inside one batch plan (`within`) each of those answers is read
 * once per account-region and shared by the batch's secrets.
 *
 * A batch's items are workflows, each admitted before it starts and again before its step: the
 * secret's owner is read every time, but the function's (GetFunction and its tags) is read once
 * per batch, function and account-region in this process and trusted for BATCH_ADMISSION_MEMO_MS
 * by the admissions of the batch's other items (`withinBatchAdmission`): a function's owner does
 * not change within seconds, and 500 items would otherwise read it 1,000 times. A missing function
 * and a failed read are never kept. Anywhere else (the wizard, any other workflow's re-check) the
 * gateways answer as they always do.
 */
export const createBatchPlanMemo = (scopeKey: () => string, options: { now?: () => number; admissionMs?: number } = {}) => {
  const now = options.now ?? (() => Date.now());
  const admissionMs = options.admissionMs ?? BATCH_ADMISSION_MEMO_MS;
  const scope = new AsyncLocalStorage<Scope>();
  /** The batches' admissions' reads: the answer and when it was asked. */
  const admissions = new Map<string, { answer: Promise<unknown>; at: number }>();

  const memo =
    <A extends unknown[], T>(name: string, read: (...args: A) => Promise<T>, keyOf: (...args: A) => string, inAdmission = false) =>
    (...args: A): Promise<T> => {
      const current = scope.getStore();
      if (!current) return read(...args);
      if (current.kind === 'admission') {
        if (!inAdmission) return read(...args);
        const key = `${name} ${current.batchId} ${scopeKey()} ${keyOf(...args)}`;
        const at = now();
        for (const [k, v] of admissions) if (at - v.at >= admissionMs) admissions.delete(k);
        const kept = admissions.get(key);
        if (kept) return kept.answer as Promise<T>;
        const answer = read(...args);
        admissions.set(key, { answer, at });
        // Neither a failure nor "no such function" is kept: the next item asks again.
        answer.then(
          (found) => {
            if (found === null && admissions.get(key)?.answer === answer) admissions.delete(key);
          },
          () => {
            if (admissions.get(key)?.answer === answer) admissions.delete(key);
          },
        );
        return answer;
      }
      const memory = current.memory;
      const key = `${name} ${scopeKey()} ${keyOf(...args)}`;
      let found = memory.get(key) as Promise<T> | undefined;
      if (!found) {
        found = read(...args);
        memory.set(key, found);
        // A failed read is not kept: the next secret asks again.
        found.catch(() => memory.delete(key));
      }
      return found;
    };
  return {
    ownership: (gateway: OwnershipGateway): OwnershipGateway => ({
      ...gateway,
      functionUsers: memo('users', gateway.functionUsers, (names?: ReadonlySet<string>) => (names ? [...names].sort().join(',') : '*')),
      function: memo('function', gateway.function, (arnOrName: string) => arnOrName, true),
      secretsManagerMayInvoke: memo('invoke', gateway.secretsManagerMayInvoke, (functionArn: string) => functionArn),
    }),
    discovery: (gateway: DiscoveryGateway): DiscoveryGateway => ({ ...gateway, function: memo('discovered', gateway.function, (arn: string) => arn) }),
    within: <T>(fn: () => Promise<T>): Promise<T> => scope.run({ kind: 'plan', memory: new Map() }, fn),
    withinBatchAdmission: <T>(batchId: string, fn: () => Promise<T>): Promise<T> => scope.run({ kind: 'admission', batchId }, fn),
  };
};
export type BatchPlanMemo = ReturnType<typeof createBatchPlanMemo>;
