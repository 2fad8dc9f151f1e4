import { z } from 'zod';

export const AwsTarget = z.object({
  kind: z.enum(['emulator', 'aws']).meta({ description: '"emulator" when AWS_ENDPOINT_URL points somewhere other than AWS.' }),
  endpoint: z.string().nullable(),
  region: z.string(),
  accountId: z.string().nullable().meta({ description: 'From STS GetCallerIdentity; null when AWS did not answer.' }),
  reachable: z.boolean(),
  error: z.string().optional(),
});

export const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    aws: AwsTarget,
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof Health>;
