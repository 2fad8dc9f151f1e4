import type { SecretNetwork, VpcDetail } from '@rotation-console/contracts';
import { NotFoundError, UpstreamError } from '../../platform/errors.ts';
import type { DiscoveryGateway } from './discovery.aws.ts';

const hostOf = (secretString: string | null): string | null => {
  try {
    const host = (JSON.parse(secretString ?? '') as { host?: unknown }).host;
    return typeof host === 'string' && host ? host : null;
  } catch {
    return null;
  }
};

export const createNetworkService = ({ discovery }: { discovery: DiscoveryGateway }) => {
  const vpcDetail = async (vpcId: string): Promise<VpcDetail> => {
    const vpc = await discovery.vpc(vpcId);
    if (!vpc) throw new NotFoundError({ message: `VPC "${vpcId}" was not found in ${discovery.region()}.` });
    const [subnets, securityGroups, secretsManagerEndpointId] = await Promise.all([
      discovery.subnets(vpcId),
      discovery.securityGroups(vpcId),
      discovery.secretsManagerEndpoint(vpcId),
    ]);
    return { vpc, subnets, securityGroups, secretsManagerEndpointId };
  };

  return {
    vpcDetail,

    /**
     * The network the secret's database runs in, for ownership: its VPC, its subnets, its security
     * groups and the groups those admit (its clients' groups). Null when RDS knows no database at
     * the secret's host, or the secret names none. Read with the console's credentials.
     */
    async databaseNetwork(secretId: string) {
      const host = hostOf(await discovery.secretString(secretId));
      // Where RDS does not answer (LocalStack's open-source edition has none; an outage), the
      // database's own network is unknown: only tags and the teams file decide, never a guess.
      const db = host ? await discovery.databaseByHost(host).catch((error: unknown) => (error instanceof UpstreamError ? null : Promise.reject(error))) : null;
      if (!db?.vpcId) return null;
      const admitted = await discovery.groupsAdmittedBy(db.securityGroupIds);
      return { vpcId: db.vpcId, subnetIds: db.subnetIds, securityGroupIds: [...new Set([...db.securityGroupIds, ...admitted])] };
    },

    /** The database behind a secret, from its host through RDS, and whether its VPC needs an endpoint. */
    async forSecret(secretId: string): Promise<SecretNetwork> {
      const secret = await discovery.secret(secretId);
      const host = hostOf(await discovery.secretString(secret.arn));
      if (!host) return { host: null, dbInstance: null, suggestEndpoint: false, message: 'The secret names no host; choose the network by hand.' };
      const db = await discovery.databaseByHost(host);
      // The wizard's answer names the database's network; whether it is public is the preflight's.
      const dbInstance = db && { id: db.id, engine: db.engine, vpcId: db.vpcId, subnetIds: db.subnetIds, securityGroupIds: db.securityGroupIds };
      if (!db || !db.vpcId) {
        return {
          host,
          dbInstance,
          suggestEndpoint: false,
          message: `No RDS database in ${discovery.region()} has the endpoint ${host}; choose the network by hand.`,
        };
      }
      const detail = await vpcDetail(db.vpcId);
      const dbSubnets = detail.subnets.filter((s) => db.subnetIds.includes(s.id));
      const suggestEndpoint = !detail.secretsManagerEndpointId && dbSubnets.length > 0 && dbSubnets.every((s) => !s.hasRouteOut);
      return {
        host,
        dbInstance,
        suggestEndpoint,
        message: `Found database ${db.id} in ${db.vpcId}${suggestEndpoint ? '; its subnets have no route out, so the function needs a Secrets Manager endpoint in the VPC' : ''}.`,
      };
    },
  };
};
export type NetworkService = ReturnType<typeof createNetworkService>;
