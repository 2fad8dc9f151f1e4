import type { IdentityGateway } from './health.aws.ts';

/** What the last look at AWS found. */
export type AwsProbe = { reachable: true; accountId: string | null } | { reachable: false; error: string };

/** How long one answer of STS GetCallerIdentity stands for every health check. */
export const HEALTH_PROBE_TTL_MS = 60_000;

/**
 * STS GetCallerIdentity at most once per `ttlMs`, whoever asks and however often: the health route
 * is public, and a flood of probes must not become a flood of AWS calls. A failure is kept as
 * long as a success; checks that arrive while the call is under way wait for that same call.
 */
export const createAwsProbe = ({
  identity,
  ttlMs = HEALTH_PROBE_TTL_MS,
  now = Date.now,
}: {
  identity: IdentityGateway;
  ttlMs?: number;
  now?: () => number;
}) => {
  let last: { at: number; answer: Promise<AwsProbe> } | undefined;
  return (): Promise<AwsProbe> => {
    if (last && now() - last.at < ttlMs) return last.answer;
    const answer = identity.accountId().then(
      (accountId): AwsProbe => ({ reachable: true, accountId }),
      (error: unknown): AwsProbe => ({ reachable: false, error: (error as Error).message }),
    );
    last = { at: now(), answer };
    return answer;
  };
};
export type AwsProbeReader = ReturnType<typeof createAwsProbe>;
