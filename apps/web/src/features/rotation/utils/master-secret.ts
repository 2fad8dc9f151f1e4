import type { SecretCheck } from '@rotation-console/contracts';
import type { UseQueryResult } from '@tanstack/react-query';

/**
 * Why the chosen master secret cannot be used, from the API's check of it: the API refused it (a 400
 * names the reason), or it is for another engine than the secret. Null when nothing is known against it.
 */
export const masterEngineProblem = (check: Pick<UseQueryResult<SecretCheck>, 'data' | 'error' | 'isError'>, masterSecretId: string): string | null => {
  if (check.isError && check.error) return check.error.message;
  const data = check.data;
  if (!data?.masterSecret) return null;
  const secretEngine = data.secret.engine;
  const masterEngine = data.masterSecret.engine;
  if (secretEngine && masterEngine && secretEngine !== masterEngine) {
    return `${masterSecretId} is a ${masterEngine} secret and this secret is ${secretEngine}: choose a master secret for the same engine.`;
  }
  return null;
};
