import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface AwsSettings {
  region: string;
  /** LocalStack, moto, or unset for real AWS. */
  endpoint: string | undefined;
  timeoutMs: number;
  maxAttempts: number;
}

export interface AwsClients {
  secretsManager: SecretsManagerClient;
  sts: STSClient;
}

/**
 * SDK clients, built once per region and reused (one connection pool each).
 * Credentials come from the default chain (env, AWS_PROFILE, SSO, instance role).
 */
export const createAwsClientFactory = (settings: AwsSettings) => {
  const cache = new Map<string, AwsClients>();
  const build = (region: string): AwsClients => {
    const common = {
      region,
      maxAttempts: settings.maxAttempts,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      requestHandler: new NodeHttpHandler({
        connectionTimeout: Math.min(settings.timeoutMs, 3000),
        requestTimeout: settings.timeoutMs,
        // Without this the handler only warns, and a hung endpoint hangs the request.
        throwOnRequestTimeout: true,
      }),
    };
    return { secretsManager: new SecretsManagerClient(common), sts: new STSClient(common) };
  };
  return {
    settings,
    forRegion(region: string = settings.region): AwsClients {
      let clients = cache.get(region);
      if (!clients) {
        clients = build(region);
        cache.set(region, clients);
      }
      return clients;
    },
    destroy() {
      for (const clients of cache.values()) for (const client of Object.values(clients)) client.destroy();
      cache.clear();
    },
  };
};
export type AwsClientFactory = ReturnType<typeof createAwsClientFactory>;
