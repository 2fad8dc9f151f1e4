import type { AccountsConfig } from '@rotation-console/contracts';
import type { AwsClientFactory } from '../aws.ts';
import { callerIdentity, listActiveAccounts } from '../aws-organizations.ts';
import { InputError } from '../errors.ts';
import { accountRegionOfArn, makeTarget, UnknownTargetError, type Target } from './target.ts';

/** Where the targets come from (config.ts: ACCOUNTS_CONFIG, ORGANIZATION_ROLE_NAME, FLEET_REGIONS). */
export type TargetsSource =
  { kind: 'self'; regions: string[] } | { kind: 'file'; config: AccountsConfig } | { kind: 'organizations'; roleName: string; regions: string[] };

/** How long the organization's account list stands before it is asked again (accounts join and leave). */
export const ORGANIZATION_LIST_MS = 15 * 60_000;

/**
 * The account-regions the console covers:
 * - `self` (nothing configured): the console's own account in AWS_REGION and FLEET_REGIONS;
 * - `file`: the accounts file's accounts and regions, each with its role;
 * - `organizations`: every active account of the organization (ListAccounts), the role
 *   ORGANIZATION_ROLE_NAME in each (none in the console's own account), in FLEET_REGIONS.
 * The home target is the console's own account in AWS_REGION, reached with its own credentials.
 */
export const createTargetRegistry = ({
  source,
  aws,
  homeRegion,
  accountOwners = new Map(),
  now = () => Date.now(),
}: {
  source: TargetsSource;
  aws: AwsClientFactory;
  homeRegion: string;
  /** Account id -> the team owning it whole (teams-config.ts), for its targets' untagged resources. */
  accountOwners?: ReadonlyMap<string, string>;
  now?: () => number;
}) => {
  const target = (accountId: string, accountName: string, region: string, roleArn: string | null) =>
    makeTarget(accountId, accountName, region, roleArn, accountOwners.get(accountId) ?? null);
  let identity: Promise<{ accountId: string; partition: string }> | undefined;
  let listed: { at: number; targets: Promise<Target[]> } | undefined;
  const self = () => {
    identity ??= callerIdentity(aws);
    identity.catch(() => (identity = undefined));
    return identity;
  };
  const resolve = async (): Promise<Target[]> => {
    if (source.kind === 'file') return source.config.accounts.flatMap((a) => a.regions.map((region) => target(a.id, a.name, region, a.roleArn ?? null)));
    const me = await self();
    if (source.kind === 'self') return source.regions.map((region) => target(me.accountId, me.accountId, region, null));
    const accounts = await listActiveAccounts(aws);
    return accounts.flatMap((a) =>
      source.regions.map((region) => target(a.id, a.name, region, a.id === me.accountId ? null : `arn:${me.partition}:iam::${a.id}:role/${source.roleName}`)),
    );
  };
  const list = (): Promise<Target[]> => {
    const stale = !listed || (source.kind === 'organizations' && now() - listed.at > ORGANIZATION_LIST_MS);
    if (stale) {
      const targets = resolve();
      listed = { at: now(), targets };
      targets.catch(() => (listed = undefined));
    }
    return listed!.targets;
  };
  const find = async (accountId: string, region: string) => (await list()).find((t) => t.accountId === accountId && t.region === region);
  return {
    source: source.kind,
    /**
     * True when the console covers its own account in AWS_REGION alone and no team owns it whole:
     * every call acts there with the home target's defaults, no target needs choosing.
     */
    homeOnly: source.kind === 'self' && source.regions.length === 1 && source.regions[0] === homeRegion && accountOwners.size === 0,
    list,
    /** The console's own account in AWS_REGION: where a secret named without an ARN is looked for. */
    async home(): Promise<Target> {
      const me = await self();
      return (await find(me.accountId, homeRegion)) ?? target(me.accountId, me.accountId, homeRegion, null);
    },
    /** The target holding the resource `arn` names; UnknownTargetError when the console does not cover it. */
    async forArn(arn: string, what = `"${arn}"`): Promise<Target> {
      const place = accountRegionOfArn(arn);
      if (!place) throw new InputError({ message: `${what} is not an ARN.` });
      const target = await find(place.accountId, place.region);
      if (!target) throw new UnknownTargetError(place.accountId, place.region, what);
      return target;
    },
    /**
     * The target to run a secret's calls in: its ARN's, or the home target for a secret given by
     * name; null (no scope: the home target) when the console covers its home target alone.
     */
    async scopeFor(secretId: string): Promise<Target | null> {
      if (this.homeOnly) return null;
      return accountRegionOfArn(secretId) ? this.forArn(secretId, `Secret "${secretId}"`) : this.home();
    },
  };
};
export type TargetRegistry = ReturnType<typeof createTargetRegistry>;
