import { AsyncLocalStorage } from 'node:async_hooks';
import type { FunctionUser, OwnershipGateway } from '../ownership/ownership.aws.ts';

/**
 * One batch plan asks "which secrets does this function rotate?" once per secret (the plan's
 * impact listing), and each answer is a ListSecrets of the whole account-region. Inside one batch
 * plan (`within`), the answer is read once per function set and account-region and shared by its
 * secrets; anywhere else the gateway answers as it always does.
 */
export const memoizeFunctionUsers = (gateway: OwnershipGateway, scopeKey: () => string) => {
  const scope = new AsyncLocalStorage<Map<string, Promise<FunctionUser[]>>>();
  const memoized: OwnershipGateway = {
    ...gateway,
    functionUsers(functionNames?: ReadonlySet<string>) {
      const memo = scope.getStore();
      if (!memo) return gateway.functionUsers(functionNames);
      const key = `${scopeKey()} ${functionNames ? [...functionNames].sort().join(',') : '*'}`;
      let found = memo.get(key);
      if (!found) {
        found = gateway.functionUsers(functionNames);
        memo.set(key, found);
        // A failed read is not kept: the next secret asks again.
        found.catch(() => memo.delete(key));
      }
      return found;
    },
  };
  return { gateway: memoized, within: <T>(fn: () => Promise<T>): Promise<T> => scope.run(new Map(), fn) };
};
