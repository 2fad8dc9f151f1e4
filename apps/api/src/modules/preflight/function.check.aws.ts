import { evaluateFunction, needsRdsProxyLookup, type PreflightSubject, type RdsProxyLookup } from '@rotation-console/rotation';
import { sdk } from '../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import type { PreflightRunner } from './preflight-runner.ts';

/**
 * Whether the database host is an RDS Proxy endpoint RDS knows (DescribeDBProxies, every page):
 * the host's name says so for the proxies' own names, not for a name of the account's DNS.
 */
const lookUpRdsProxy = async (aws: AwsClientFactory, host: string): Promise<RdsProxyLookup> => {
  const { paginateDescribeDBProxies } = sdk.rds();
  const wanted = host.trim().toLowerCase().replace(/\.$/, '');
  try {
    return await callAws('DescribeDBProxies', async () => {
      let proxiesRead = 0;
      for await (const page of paginateDescribeDBProxies({ client: aws.forRegion().rds }, {})) {
        for (const proxy of page.DBProxies ?? []) {
          proxiesRead++;
          if (proxy.Endpoint?.toLowerCase() === wanted) return { kind: 'found', proxyName: proxy.DBProxyName ?? '', endpoint: proxy.Endpoint } as const;
        }
      }
      return { kind: 'none', proxiesRead } as const;
    });
  } catch (error) {
    return { kind: 'failed', reason: (error as Error).message };
  }
};

/** The "function" check: runtime, timeout, strategy against the secret, and RDS Proxy with alternating users. */
export const createFunctionCheck = ({ aws, now = () => new Date() }: { aws: AwsClientFactory; now?: () => Date }): PreflightRunner => ({
  id: 'function',
  async run(subject: PreflightSubject) {
    const proxy = needsRdsProxyLookup(subject) && subject.database ? await lookUpRdsProxy(aws, subject.database.host) : null;
    return evaluateFunction(subject, { now: now(), proxy });
  },
});
