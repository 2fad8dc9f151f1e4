import { isAllowed, type Action, type Principal, type Resource } from '@rotation-console/contracts';
import type { RequestHandler } from 'express';
import { NotAllowedError, OutOfScopeError } from './errors.ts';
import { enterTeam } from './team-role.ts';

// The rules live in the contracts so the web app hides exactly what the API refuses.
export {
  ACTION_RULES,
  changeableTeams,
  inTeamScope,
  isAllowed,
  teamScope,
  visibleTeams,
  type ActionRule,
  type Principal,
  type Resource,
} from '@rotation-console/contracts';

export const authorize = (principal: Principal, action: Action, resource: Resource): void => {
  if (!isAllowed(principal, action, resource)) {
    throw new NotAllowedError({ message: `You are not allowed to ${action} on this ${resource.type}.` });
  }
};

/** With AUTH_MODE=local (the default), every request runs as one local principal with every permission. */
export const LOCAL_PRINCIPAL: Principal = { id: 'local', name: 'Local operator', roles: ['admin'], teams: [] };

/** Nobody signed in: public actions only. Set on public routes and on pages outside the API. */
export const ANONYMOUS_PRINCIPAL: Principal = { id: 'anonymous', name: 'Anonymous', roles: [], teams: [] };

export const localPrincipal: RequestHandler = (req, _res, next) => {
  req.principal = LOCAL_PRINCIPAL;
  next();
};

/** A secret as the policy sees it: its name and owning team (from its tag). */
export interface SecretRef {
  name: string;
  team: string | null;
}

/** What a caller gets for a secret outside its read scope: exactly what a missing secret gives (aws-errors.ts). */
export const secretNotFound = (secretId: string) => new OutOfScopeError({ message: `Secret "${secretId}" was not found.` });

/** Why `principal` may not change `secret` (a team action), in words for the person. */
export const whyNot = (principal: Principal, secret: SecretRef): string => {
  if (!principal.roles.includes('operator')) return 'your role may only read';
  if (secret.team === null) return 'it belongs to no team, so only admins change it';
  return `it belongs to team "${secret.team}", not to one of yours`;
};

/**
 * Authorizes `action` on one secret, as `secretId` named it. A secret the principal may not
 * read does not exist for it (404, the missing secret's message), so the answer never tells
 * that it exists; a readable secret the principal may not change is a 403 saying why. Once
 * allowed, the request's AWS calls run under the secret's team role, if it has one.
 */
export const authorizeSecret = (principal: Principal, action: Action, secretId: string, secret: SecretRef): void => {
  checkSecret(principal, action, secretId, secret);
  enterTeam(secret.team);
};

/** authorizeSecret without switching roles: for a second secret a request only reads (a master secret). */
export const checkSecret = (principal: Principal, action: Action, secretId: string, secret: SecretRef): void => {
  const resource: Resource = { type: 'secret', name: secret.name, team: secret.team };
  if (!isAllowed(principal, 'secrets:read', resource)) throw secretNotFound(secretId);
  if (!isAllowed(principal, action, resource)) {
    throw new NotAllowedError({ message: `You are not allowed to ${action} on ${secret.name}: ${whyNot(principal, secret)}.` });
  }
};

/**
 * The secret's half of who may read a rotation function's log (its lines, and the error text
 * taken from them): who may change the secret (its team's operators, admins). The function's half
 * (it must be the team's own) is the ownership service's `mayReadFunctionLog`, which asks this first.
 */
export const mayReadFunctionLogs = (principal: Principal, secret: { name: string; team: string | null }): boolean =>
  isAllowed(principal, 'secrets:rotate', { type: 'secret', name: secret.name, team: secret.team });
