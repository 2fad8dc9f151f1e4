import { sdk } from '../../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../../platform/aws.ts';
import { callAws } from '../../../platform/aws-errors.ts';
import type { StepRun } from '../../../platform/workflow/step-registry.ts';
import { done, input, requestIdOf } from './common.ts';

interface EndpointInput {
  vpcId: string;
  serviceName: string;
  subnetIds: string[];
  securityGroupIds: string[];
  tags?: { Key: string; Value: string }[];
}

/** Ensures the VPC has a Secrets Manager interface endpoint with private DNS (the seed's create-vpc-endpoint). */
export const createSecretsManagerEndpoint =
  (aws: AwsClientFactory): StepRun =>
  async (ctx) => {
    const spec = input<EndpointInput>(ctx);
    const { CreateVpcEndpointCommand, DescribeVpcEndpointsCommand } = sdk.ec2();
    const ec2 = aws.forRegion().ec2;
    // Held from the look to the create: two workflows in one VPC would otherwise both find no
    // endpoint and both make one (their tokens differ), leaving two with the same private DNS.
    return ctx.exclusive(`vpc-endpoint:${aws.region()}:${spec.vpcId}`, async () => {
      const existing = await callAws('DescribeVpcEndpoints', () =>
        ec2.send(
          new DescribeVpcEndpointsCommand({
            Filters: [
              { Name: 'vpc-id', Values: [spec.vpcId] },
              { Name: 'service-name', Values: [spec.serviceName] },
            ],
          }),
        ),
      );
      const usable = existing.VpcEndpoints?.find((e) => !['deleted', 'deleting', 'failed', 'rejected'].includes(String(e.State ?? '').toLowerCase()));
      if (usable) return done({ vpcEndpointId: usable.VpcEndpointId, created: false });
      const out = await callAws('CreateVpcEndpoint', () =>
        ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: spec.vpcId,
            VpcEndpointType: 'Interface',
            ServiceName: spec.serviceName,
            SubnetIds: spec.subnetIds,
            SecurityGroupIds: spec.securityGroupIds,
            PrivateDnsEnabled: true,
            ...(spec.tags?.length ? { TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: spec.tags }] } : {}),
            // The stored token: a retry after a crash returns the same endpoint, not a second one.
            ClientToken: ctx.idempotencyToken,
          }),
        ),
      );
      return done({ vpcEndpointId: out.VpcEndpoint?.VpcEndpointId, created: true }, requestIdOf(out));
    });
  };
