import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { sdk } from './aws-sdk.ts';

export interface AwsSettings {
  region: string;
  /** LocalStack, moto, or unset for real AWS. */
  endpoint: string | undefined;
  timeoutMs: number;
  maxAttempts: number;
}

/** What every client gets; each constructor accepts this shape. */
interface ClientConfig {
  region: string;
  maxAttempts: number;
  endpoint?: string;
  requestHandler: NodeHttpHandler;
}

// The other services' packages load with their first client (see aws-sdk.ts).
const builders = {
  secretsManager: (c: ClientConfig) => new SecretsManagerClient(c),
  sts: (c: ClientConfig) => new STSClient(c),
  lambda: (c: ClientConfig) => new (sdk.lambda().LambdaClient)(c),
  cloudFormation: (c: ClientConfig) => new (sdk.cloudFormation().CloudFormationClient)(c),
  ec2: (c: ClientConfig) => new (sdk.ec2().EC2Client)(c),
  iam: (c: ClientConfig) => new (sdk.iam().IAMClient)(c),
  rds: (c: ClientConfig) => new (sdk.rds().RDSClient)(c),
  logs: (c: ClientConfig) => new (sdk.logs().CloudWatchLogsClient)(c),
  // Path-style: emulators serve buckets under their one host name.
  s3: (c: ClientConfig) => new (sdk.s3().S3Client)({ ...c, forcePathStyle: Boolean(c.endpoint) }),
};

export type AwsClients = { [K in keyof typeof builders]: ReturnType<(typeof builders)[K]> };

/**
 * SDK clients, built once per region on first use and reused (one connection pool
 * each). Credentials come from the default chain (env, AWS_PROFILE, SSO, instance role).
 */
export const createAwsClientFactory = (settings: AwsSettings) => {
  const cache = new Map<string, Partial<AwsClients>>();
  const config = (region: string): ClientConfig => ({
    region,
    maxAttempts: settings.maxAttempts,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(settings.timeoutMs, 3000),
      requestTimeout: settings.timeoutMs,
      // Without this the handler only warns, and a hung endpoint hangs the request.
      throwOnRequestTimeout: true,
    }),
  });
  return {
    settings,
    forRegion(region: string = settings.region): AwsClients {
      let built = cache.get(region);
      if (!built) {
        built = {};
        cache.set(region, built);
      }
      const clients = built;
      return new Proxy({} as AwsClients, {
        get(_target, name: keyof AwsClients) {
          const build = builders[name] as (c: ClientConfig) => AwsClients[typeof name];
          return (clients[name] ??= build(config(region)) as never);
        },
      });
    },
    destroy() {
      for (const clients of cache.values()) for (const client of Object.values(clients)) client?.destroy();
      cache.clear();
    },
  };
};
export type AwsClientFactory = ReturnType<typeof createAwsClientFactory>;
