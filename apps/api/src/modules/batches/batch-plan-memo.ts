import { AsyncLocalStorage } from 'node:async_hooks';
import type { OwnershipGateway } from '../ownership/ownership.aws.ts';
import type { DiscoveryGateway } from '../rotation/discovery.aws.ts';

/**
 * One batch plan plans every secret with the wizard's plan service, which reads the chosen function
 * (Lambda GetFunction, twice) and the secrets that use it (a ListSecrets of the whole
 * account-region) once per secret. Inside one batch plan (`within`) each of those answers is read
 * once per account-region and shared by the batch's secrets; anywhere else (the wizard, a
 * workflow's re-check) the gateways answer as they always do.
 */
export const createBatchPlanMemo = (scopeKey: () => string) => {
  const scope = new AsyncLocalStorage<Map<string, Promise<unknown>>>();
  const memo =
    <A extends unknown[], T>(name: string, read: (...args: A) => Promise<T>, keyOf: (...args: A) => string) =>
    (...args: A): Promise<T> => {
      const memory = scope.getStore();
      if (!memory) return read(...args);
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
      function: memo('function', gateway.function, (arnOrName: string) => arnOrName),
    }),
    discovery: (gateway: DiscoveryGateway): DiscoveryGateway => ({ ...gateway, function: memo('discovered', gateway.function, (arn: string) => arn) }),
    within: <T>(fn: () => Promise<T>): Promise<T> => scope.run(new Map(), fn),
  };
};
