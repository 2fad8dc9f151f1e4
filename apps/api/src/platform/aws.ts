import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
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

/** What every client gets; each constructor accepts this shape. */
interface ClientConfig {
  region: string;
  maxAttempts: number;
  endpoint?: string;
  requestHandler: NodeHttpHandler;
}

const builders = {
  secretsManager: (c: ClientConfig) => new SecretsManagerClient(c),
  sts: (c: ClientConfig) => new STSClient(c),
  lambda: (c: ClientConfig) => new LambdaClient(c),
  cloudFormation: (c: ClientConfig) => new CloudFormationClient(c),
  ec2: (c: ClientConfig) => new EC2Client(c),
  iam: (c: ClientConfig) => new IAMClient(c),
  rds: (c: ClientConfig) => new RDSClient(c),
  logs: (c: ClientConfig) => new CloudWatchLogsClient(c),
  // Path-style: emulators serve buckets under their one host name.
  s3: (c: ClientConfig) => new S3Client({ ...c, forcePathStyle: Boolean(c.endpoint) }),
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
