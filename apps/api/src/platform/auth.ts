import type { Action, Role } from '@rotation-console/contracts';
import type { RequestHandler } from 'express';
import { NotAllowedError } from './errors.ts';

export interface Principal {
  id: string;
  name: string;
  roles: Role[];
  teams: string[];
}

/** What an action is done to. A secret carries its owning team (from its tag), if any. */
export type Resource = { type: 'service' } | { type: 'secrets' } | { type: 'secret'; name: string; team: string | null };

const READ_ACTIONS: ReadonlySet<Action> = new Set(['health:read', 'secrets:list', 'secrets:read']);

/** The one policy: every route asks it, with the principal, the action and the resource. */
export const isAllowed = (principal: Principal, action: Action, _resource: Resource): boolean => {
  if (principal.roles.includes('admin')) return true;
  if (READ_ACTIONS.has(action)) return principal.roles.length > 0;
  return false;
};

export const authorize = (principal: Principal, action: Action, resource: Resource): void => {
  if (!isAllowed(principal, action, resource)) {
    throw new NotAllowedError({ message: `You are not allowed to ${action} on this ${resource.type}.` });
  }
};

/** Until login exists, every request runs as one local principal with every permission. */
export const LOCAL_PRINCIPAL: Principal = { id: 'local', name: 'Local operator', roles: ['admin'], teams: [] };

export const localPrincipal: RequestHandler = (req, _res, next) => {
  req.principal = LOCAL_PRINCIPAL;
  next();
};
