import { sarApplicationId, type FunctionSource } from '@rotation-console/rotation';
import type { ServerlessRepoClient } from '../../platform/aws-serverlessrepo.ts';
import type { Logger } from '../../platform/logger.ts';

/**
 * Decides once per process where new rotation functions come from. With `auto`, the
 * Serverless Application Repository is asked for AWS's PostgreSQL template; where it
 * does not answer (LocalStack, moto, partitions without it) the bundled template is used.
 */
export const createFunctionSourceResolver = ({
  setting,
  serverlessRepo,
  logger,
}: {
  setting: 'auto' | Exclude<FunctionSource, 'existing'>;
  serverlessRepo: ServerlessRepoClient;
  logger: Logger;
}) => {
  let decided: Promise<Exclude<FunctionSource, 'existing'>> | undefined;
  return (): Promise<Exclude<FunctionSource, 'existing'>> => {
    if (setting !== 'auto') return Promise.resolve(setting);
    decided ??= serverlessRepo
      .getApplication(sarApplicationId('postgres', 'single-user')!)
      .then(() => 'serverless-application-repository' as const)
      .catch((error: Error) => {
        logger.info({ reason: error.name }, 'Serverless Application Repository not available; new functions use the bundled template');
        return 'bundled-template' as const;
      });
    return decided;
  };
};
export type FunctionSourceResolver = ReturnType<typeof createFunctionSourceResolver>;
