import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { sdk } from './aws-sdk.ts';
import { assumedRoleCredentials, type RoleCredentials } from './aws-assume-role.ts';
import { paceRotateQuota } from './aws-rotate-quota.ts';
import { currentAwsActor, runAsActor } from './team-role.ts';
import type { Target } from './targets/target.ts';
import { currentTarget } from './targets/target-scope.ts';

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
  // RotateSecret and CancelRotateSecret share a quota of 50 a second: each attempt of either waits its turn.
  secretsManager: (c: ClientConfig) => paceRotateQuota(new SecretsManagerClient(c)),
  sts: (c: ClientConfig) => new STSClient(c),
  organizations: (c: ClientConfig) => new (sdk.organizations().OrganizationsClient)(c),
  lambda: (c: ClientConfig) => new (sdk.lambda().LambdaClient)(c),
  cloudFormation: (c: ClientConfig) => new (sdk.cloudFormation().CloudFormationClient)(c),
  ec2: (c: ClientConfig) => new (sdk.ec2().EC2Client)(c),
  iam: (c: ClientConfig) => new (sdk.iam().IAMClient)(c),
  kms: (c: ClientConfig) => new (sdk.kms().KMSClient)(c),
  rds: (c: ClientConfig) => new (sdk.rds().RDSClient)(c),
  logs: (c: ClientConfig) => new (sdk.logs().CloudWatchLogsClient)(c),
  // Path-style: emulators serve buckets under their one host name.
  s3: (c: ClientConfig) => new (sdk.s3().S3Client)({ ...c, forcePathStyle: Boolean(c.endpoint) }),
  // The events' queue and rule (modules/events), in the console's own account.
  sqs: (c: ClientConfig) => new (sdk.sqs().SQSClient)(c),
  eventBridge: (c: ClientConfig) => new (sdk.eventBridge().EventBridgeClient)(c),
};

export type AwsClients = { [K in keyof typeof builders]: ReturnType<(typeof builders)[K]> };

/** Clients under assumed roles kept at once (people x teams x targets); the oldest set is dropped past this. */
const MAX_ROLE_CLIENT_SETS = 200;

/** The session name of the console's own calls in a member account, as CloudTrail shows them there. */
export const CONSOLE_SESSION_NAME = 'rotation-console';

/**
 * SDK clients, built once per target (account and region) and actor on first use and reused (one
 * connection pool each). In the home target (no target scope: the console's own account in
 * AWS_REGION) credentials come from the default chain (env, AWS_PROFILE, SSO, instance role);
 * in a member account's target (targets/target-scope.ts) from sts:AssumeRole of the target's role
 * by the console. Inside a request or workflow acting for a team with a role (team-role.ts), that
 * role is then assumed, under the person's name, with the target's credentials (role chaining).
 * Every set of assumed credentials is asked for again before it expires (aws-assume-role.ts).
 */
export const createAwsClientFactory = (settings: AwsSettings) => {
  const cache = new Map<string, Partial<AwsClients>>();
  const roleCredentials = new Map<string, RoleCredentials>();
  const targetCredentials = new Map<string, RoleCredentials>();
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
  /** The console's own clients in the home target, whatever the current scope. */
  const homeClients = (): AwsClients => runAsActor(null, () => build(null));
  /** The console's own clients in the current target (its role there, no team's). */
  const consoleClients = (): AwsClients => runAsActor(null, () => build(currentTarget()));
  /** The target's role, assumed by the console with its own credentials (an STS client of the home target). */
  const credentialsOfTarget = (target: Target | null): RoleCredentials | undefined => {
    if (!target?.roleArn) return undefined;
    let credentials = targetCredentials.get(target.roleArn);
    if (!credentials) {
      credentials = assumedRoleCredentials({ roleArn: target.roleArn, sessionName: CONSOLE_SESSION_NAME }, () => homeClients().sts);
      targetCredentials.set(target.roleArn, credentials);
    }
    return credentials;
  };
  const build = (target: Target | null): AwsClients => {
    const region = target?.region ?? settings.region;
    const actor = currentAwsActor();
    const place = target ? `${target.key}|${target.roleArn ?? ''}` : `home|${region}`;
    const key = actor ? `${place}|${actor.roleArn}|${actor.sessionName}` : place;
    let built = cache.get(key);
    if (!built) {
      if (actor && roleCredentials.size >= MAX_ROLE_CLIENT_SETS) evictOldestRoleSet();
      built = {};
      cache.set(key, built);
    }
    let credentials = credentialsOfTarget(target);
    if (actor) {
      // A team's role, assumed through the console's STS client in this target (chained from the target's role).
      const chained = roleCredentials.get(key) ?? assumedRoleCredentials(actor, () => consoleClients().sts);
      roleCredentials.set(key, chained);
      credentials = chained;
    }
    const clients = built;
    return new Proxy({} as AwsClients, {
      get(_target, name: keyof AwsClients) {
        const make = builders[name] as (c: ClientConfig) => AwsClients[typeof name];
        return (clients[name] ??= make(config(region, credentials)) as never);
      },
    });
  };
  return {
    settings,
    /** The clients of the current target (home outside a target scope) and actor. */
    forRegion: (): AwsClients => build(currentTarget()),
    /** The console's own clients in the current target, whoever the current request acts for. */
    forRegionAsConsole: consoleClients,
    /** The console's own clients in its own account and AWS_REGION, whatever the scope (STS, Organizations). */
    home: homeClients,
    /** The region the current AWS calls go to: the current target's, else AWS_REGION. */
    region: (): string => currentTarget()?.region ?? settings.region,
    destroy() {
      roleCredentials.clear();
      targetCredentials.clear();
      for (const clients of cache.values()) for (const client of Object.values(clients)) client?.destroy();
      cache.clear();
    },
  };
};
export type AwsClientFactory = ReturnType<typeof createAwsClientFactory>;
