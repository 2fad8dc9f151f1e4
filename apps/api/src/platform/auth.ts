import { isAllowed, type Action, type Principal, type Resource } from '@rotation-console/contracts';
import type { RequestHandler } from 'express';
import { NotAllowedError } from './errors.ts';

// The rules live in the contracts so the web app hides exactly what the API refuses.
export { ACTION_RULES, changeableTeams, inTeamScope, isAllowed, teamScope, visibleTeams, type ActionRule, type Principal, type Resource } from '@rotation-console/contracts';

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
