import { z } from 'zod';

export const AwsTarget = z.object({
  kind: z.enum(['emulator', 'aws']).meta({ description: '"emulator" when AWS_ENDPOINT_URL points somewhere other than AWS.' }),
  endpoint: z.string().nullable(),
  region: z.string(),
  accountId: z.string().nullable().meta({ description: 'From STS GetCallerIdentity; null when AWS did not answer.' }),
  reachable: z.boolean(),
  error: z.string().optional(),
});

/** What a signed-in caller learns (with AUTH_MODE=local, every caller): the version and the AWS target. */
export const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    aws: AwsTarget,
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof Health>;

/** What anyone else learns (a load balancer's probe): up or down, nothing about the account. */
export const PublicHealth = z
  .object({ status: z.enum(['ok', 'unavailable']).meta({ description: '"unavailable" when AWS did not answer the last check.' }) })
  .meta({ id: 'PublicHealth' });
export type PublicHealth = z.infer<typeof PublicHealth>;

/** GET /api/v1/health answers one or the other, by who asks. */
export const HealthAnswer = z.union([Health, PublicHealth]);
