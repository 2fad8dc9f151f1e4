import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';

export const createIdentityGateway = (aws: AwsClientFactory) => ({
  async accountId(): Promise<string | null> {
    const out = await callAws('GetCallerIdentity', () => aws.forRegion().sts.send(new GetCallerIdentityCommand({})));
    return out.Account ?? null;
  },
});
export type IdentityGateway = ReturnType<typeof createIdentityGateway>;
