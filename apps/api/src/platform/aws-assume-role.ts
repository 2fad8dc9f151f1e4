import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { callAws } from './aws-errors.ts';
import type { AwsActor } from './team-role.ts';

/** The SDK's credential shape (@smithy/types AwsCredentialIdentity). */
interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** An SDK credentials provider: what a client's `credentials` option takes. */
export type RoleCredentials = () => Promise<AwsCredentialIdentity>;

/** Asked for again this long before they expire, so no call goes out with credentials about to lapse. */
const REFRESH_BEFORE_MS = 5 * 60_000;
/** An hour: AWS's default longest session for a role, and long enough to cache. */
const SESSION_SECONDS = 3600;

/**
 * Credentials of `actor.roleArn` under the person's session name, from sts:AssumeRole through
 * the console's own STS client. Cached until near expiry; concurrent callers share one call.
 */
export const assumedRoleCredentials = (actor: AwsActor, sts: () => STSClient, now = () => Date.now()): RoleCredentials => {
  let cached: AwsCredentialIdentity | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity | undefined) => c !== undefined && (!c.expiration || c.expiration.getTime() - REFRESH_BEFORE_MS > now());
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const out = await callAws(
      'AssumeRole',
      () => sts().send(new AssumeRoleCommand({ RoleArn: actor.roleArn, RoleSessionName: actor.sessionName, DurationSeconds: SESSION_SECONDS })),
      `Role "${actor.roleArn}"`,
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole of ${actor.roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  };
  return async () => {
    if (fresh(cached)) return cached!;
    inFlight ??= assume()
      .then((c) => (cached = c))
      .finally(() => (inFlight = undefined));
    return inFlight;
  };
};
