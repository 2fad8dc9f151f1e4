import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '@rotation-console/contracts';
import type { RequestHandler } from 'express';
import type { Teams } from './teams-config.ts';

/**
 * Whose AWS calls these are. Where the teams configuration names a role for a secret's team,
 * the calls on that secret run under it (sts:AssumeRole, the person's name as the session
 * name), so AWS's own policies bound the team and CloudTrail shows who acted. The AWS client
 * factory (aws.ts) reads the current actor at every `forRegion()`.
 */
export interface AwsActor {
  roleArn: string;
  sessionName: string;
}

interface Scope {
  /** Null: the console's own credentials. */
  actor: AwsActor | null;
  principal: Principal | null;
  teams: Teams | undefined;
}

const storage = new AsyncLocalStorage<Scope>();

/** The actor of the current request or workflow, or null for the console's own credentials. */
export const currentAwsActor = (): AwsActor | null => storage.getStore()?.actor ?? null;

/** RoleSessionName: 2 to 64 of [\w+=,.@-]; other characters become '-'. */
export const roleSessionName = (principal: Pick<Principal, 'id' | 'name'>): string => {
  const name = (principal.name || principal.id).normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const cleaned = name
    .replace(/\s+/g, '.')
    .replace(/[^\w+=,.@-]/g, '-')
    .slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
};

/** The actor for `principal` acting on a secret of `team`, per the teams configuration. */
export const teamActor = (teams: Teams | undefined, principal: Pick<Principal, 'id' | 'name'>, team: string | null): AwsActor | null => {
  const roleArn = teams?.get(team)?.roleArn;
  return roleArn ? { roleArn, sessionName: roleSessionName(principal) } : null;
};

/**
 * Each request gets its own scope (console credentials until a route names the secret's
 * team). Registered once, with the teams configuration, after authentication.
 */
export const awsActorScope =
  (teams: Teams): RequestHandler =>
  (req, _res, next) => {
    storage.run({ actor: null, principal: req.principal ?? null, teams }, next);
  };

/**
 * From here on in this request, AWS calls run as the request's principal under `team`'s role
 * (if the team has one). Routes call it once the policy allowed the action on the secret.
 */
export const enterTeam = (team: string | null): void => {
  const scope = storage.getStore();
  if (scope?.principal) scope.actor = teamActor(scope.teams, scope.principal, team);
};

/** Runs `fn` with AWS calls made as `actor` (null: the console's own credentials), e.g. one workflow's steps. */
export const runAsActor = <T>(actor: AwsActor | null, fn: () => T): T => storage.run({ actor, principal: null, teams: undefined }, fn);

/**
 * Runs `fn` in a scope of its own for `principal`, as a request's (console credentials until
 * enterTeam): a request about many secrets (a batch) plans each one in its own scope, so one
 * secret's team role never carries over to the next.
 */
export const runForPrincipal = <T>(principal: Principal, teams: Teams | undefined, fn: () => T): T => storage.run({ actor: null, principal, teams }, fn);
