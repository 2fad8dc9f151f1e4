import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { sdk } from './aws-sdk.ts';
import { assumedRoleCredentials, type RoleCredentials } from './aws-assume-role.ts';
import { currentAwsActor, runAsActor } from './team-role.ts';

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
  /** A team's assumed role; unset: the default chain. */
  credentials?: RoleCredentials;
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

/** Clients under assumed roles kept at once (people x teams); the oldest set is dropped past this. */
const MAX_ROLE_CLIENT_SETS = 200;

/**
 * SDK clients, built once per region on first use and reused (one connection pool
 * each). Credentials come from the default chain (env, AWS_PROFILE, SSO, instance role),
 * or, inside a request or workflow acting for a team with a role (team-role.ts), from
 * sts:AssumeRole of that role under the person's name: one set of clients per region,
 * role and session name.
 */
export const createAwsClientFactory = (settings: AwsSettings) => {
  const cache = new Map<string, Partial<AwsClients>>();
  const roleCredentials = new Map<string, RoleCredentials>();
  const config = (region: string, credentials?: RoleCredentials): ClientConfig => ({
    region,
    ...(credentials ? { credentials } : {}),
    maxAttempts: settings.maxAttempts,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(settings.timeoutMs, 3000),
      requestTimeout: settings.timeoutMs,
      // Without this the handler only warns, and a hung endpoint hangs the request.
      throwOnRequestTimeout: true,
    }),
  });
  const evictOldestRoleSet = () => {
    const oldest = roleCredentials.keys().next().value;
    if (oldest === undefined) return;
    roleCredentials.delete(oldest);
    for (const client of Object.values(cache.get(oldest) ?? {})) client?.destroy();
    cache.delete(oldest);
  };
  const consoleClients = (region: string = settings.region): AwsClients => runAsActor(null, () => forRegion(region));
  const forRegion = (region: string = settings.region): AwsClients => {
    const actor = currentAwsActor();
    const key = actor ? `${region}|${actor.roleArn}|${actor.sessionName}` : region;
    let built = cache.get(key);
    if (!built) {
      if (actor && roleCredentials.size >= MAX_ROLE_CLIENT_SETS) evictOldestRoleSet();
      built = {};
      cache.set(key, built);
    }
    let credentials: RoleCredentials | undefined;
    if (actor) {
      // AssumeRole goes through the console's own STS client, with the default chain.
      credentials = roleCredentials.get(key) ?? assumedRoleCredentials(actor, () => consoleClients(region).sts);
      roleCredentials.set(key, credentials);
    }
    const clients = built;
    return new Proxy({} as AwsClients, {
      get(_target, name: keyof AwsClients) {
        const build = builders[name] as (c: ClientConfig) => AwsClients[typeof name];
        return (clients[name] ??= build(config(region, credentials)) as never);
      },
    });
  };
  return {
    settings,
    forRegion,
    /** The console's own clients, whoever the current request acts for. */
    forRegionAsConsole: consoleClients,
    destroy() {
      roleCredentials.clear();
      for (const clients of cache.values()) for (const client of Object.values(clients)) client?.destroy();
      cache.clear();
    },
  };
};
export type AwsClientFactory = ReturnType<typeof createAwsClientFactory>;
