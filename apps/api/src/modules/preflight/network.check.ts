import { databaseNetworkCheck, secretsManagerNetworkCheck, type NetworkRead } from '@rotation-console/rotation';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { AppError } from '../../platform/errors.ts';
import { createDiscoveryGateway } from '../rotation/discovery.aws.ts';
import type { PreflightRunner } from './preflight-runner.ts';

/**
 * A read for a network check: what AWS answered, or the error it answered with (named by
 * callAws: the operation and AWS's reason), which makes that part of the check "cannot tell".
 * Anything else (a bug) still throws, and the service reports the check "unknown" with it.
 */
const read = async <T>(call: () => Promise<T>): Promise<NetworkRead<T>> => {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message };
    throw error;
  }
};

/** A read not needed for this subject (an empty answer fits every list). */
const none: NetworkRead<never[]> = { ok: true, value: [] };

/**
 * The two network checks (issue 15), with EC2 and RDS reads in the current target (the secret's
 * account and region): network to the database, network to Secrets Manager.
 */
export const createNetworkChecks = ({ aws }: { aws: AwsClientFactory }): PreflightRunner[] => {
  const discovery = createDiscoveryGateway(aws);

  const database: PreflightRunner = {
    id: 'network-database',
    async run(subject) {
      const region = aws.region();
      const target = subject.database && { host: subject.database.host, port: subject.database.port };
      const rds = target ? await read(() => discovery.databaseByHost(target.host)) : ({ ok: true, value: null } as const);
      const db = rds.ok ? rds.value : null;
      if (!target || !db)
        return databaseNetworkCheck({ region, fn: subject.fn, database: target, rds, securityGroups: none, subnets: none, networkAcls: none });
      const vpcId = db.vpcId;
      // The function's groups and the database's: DescribeSecurityGroups finds them in any VPC.
      const [securityGroups, subnets, networkAcls] = await Promise.all([
        read(() => discovery.securityGroupRules([...(subject.fn.vpc?.securityGroupIds ?? []), ...db.securityGroupIds])),
        vpcId ? read(() => discovery.subnets(vpcId)) : none,
        vpcId ? read(() => discovery.networkAcls(vpcId)) : none,
      ]);
      return databaseNetworkCheck({ region, fn: subject.fn, database: target, rds, securityGroups, subnets, networkAcls });
    },
  };

  const secretsManager: PreflightRunner = {
    id: 'network-secrets-manager',
    async run(subject) {
      const region = aws.region();
      const vpc = subject.fn.vpc;
      const saveCreatesEndpoint = subject.saveAdds?.secretsManagerEndpoint ?? false;
      if (!vpc) {
        return secretsManagerNetworkCheck({
          region,
          fn: subject.fn,
          saveCreatesEndpoint,
          endpoints: none,
          securityGroups: none,
          subnets: none,
          routeTables: none,
          networkAcls: none,
        });
      }
      const endpoints = await read(() => discovery.secretsManagerEndpoints(vpc.vpcId));
      const endpointGroups = endpoints.ok ? endpoints.value.flatMap((e) => e.securityGroupIds) : [];
      const [securityGroups, subnets, routeTables, networkAcls] = await Promise.all([
        read(() => discovery.securityGroupRules([...vpc.securityGroupIds, ...endpointGroups])),
        read(() => discovery.subnets(vpc.vpcId)),
        read(() => discovery.routeTables(vpc.vpcId)),
        read(() => discovery.networkAcls(vpc.vpcId)),
      ]);
      return secretsManagerNetworkCheck({ region, fn: subject.fn, saveCreatesEndpoint, endpoints, securityGroups, subnets, routeTables, networkAcls });
    },
  };

  return [database, secretsManager];
};
