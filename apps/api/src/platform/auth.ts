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

/**
 * How each action is decided. A `Record` over every action, so a new action does not
 * compile until someone says who may do it.
 * - `public`: anyone, signed in or not (the health probe).
 * - `read`: any viewer, operator or admin, on every resource.
 * - `team`: an operator on a secret of one of the operator's teams; an admin anywhere.
 * - `admin`: admins only.
 */
export type ActionRule = 'public' | 'read' | 'team' | 'admin';

export const ACTION_RULES: Readonly<Record<Action, ActionRule>> = {
  'health:read': 'public',
  'secrets:list': 'read',
  'secrets:read': 'read',
  'dashboard:read': 'read',
  'workflows:read': 'read',
  'functions:list': 'read',
  'network:read': 'read',
  'secrets:check': 'team',
  'rotation:plan': 'team',
  'workflows:start': 'team',
  'secrets:rotate': 'team',
  'secrets:turn-off': 'team',
  'secrets:clear-stuck': 'team',
  'secrets:roll-back': 'admin',
  'audit:read': 'admin',
};

/**
 * Team actions an operator may also do on the service as a whole, where no secret is
 * involved: a schedule preview only computes dates. Everything else an operator changes
 * names a secret, and the secret's team decides.
 */
const OPERATOR_SERVICE_ACTIONS: ReadonlySet<Action> = new Set(['rotation:plan']);

const READER_ROLES: ReadonlySet<Role> = new Set(['viewer', 'operator', 'admin']);

const isAdmin = (principal: Principal) => principal.roles.includes('admin');
const isReader = (principal: Principal) => principal.roles.some((role) => READER_ROLES.has(role));
const isOperator = (principal: Principal) => principal.roles.includes('operator');

/**
 * The one policy: every route asks it, with the principal, the action and the resource.
 * Roles add up: a principal with several roles may do what any of them allows.
 */
export const isAllowed = (principal: Principal, action: Action, resource: Resource): boolean => {
  const rule = ACTION_RULES[action];
  if (rule === 'public') return true;
  if (isAdmin(principal)) return true;
  switch (rule) {
    case 'read':
      return isReader(principal);
    case 'team':
      if (!isOperator(principal)) return false;
      if (resource.type === 'secret') {
        // A secret without a team tag belongs to no operator: only an admin changes it.
        return resource.team !== null && principal.teams.includes(resource.team);
      }
      return resource.type === 'service' && OPERATOR_SERVICE_ACTIONS.has(action);
    case 'admin':
      return false;
  }
};

export const authorize = (principal: Principal, action: Action, resource: Resource): void => {
  if (!isAllowed(principal, action, resource)) {
    throw new NotAllowedError({ message: `You are not allowed to ${action} on this ${resource.type}.` });
  }
};

/**
 * Whose secrets `action` is allowed on, for list endpoints that filter by team: `'all'`
 * (every secret, untagged ones too) or the teams named (never an untagged secret).
 * Agrees with `isAllowed` for every secret (the policy tests check that).
 */
export const teamScope = (principal: Principal, action: Action): 'all' | string[] => {
  const rule = ACTION_RULES[action];
  if (rule === 'public' || isAdmin(principal)) return 'all';
  if (rule === 'read') return isReader(principal) ? 'all' : [];
  if (rule === 'team' && isOperator(principal)) return [...new Set(principal.teams)].sort();
  return [];
};

/** The teams whose secrets a principal may see in lists (`'all'` for every reader). */
export const visibleTeams = (principal: Principal): 'all' | string[] => teamScope(principal, 'secrets:list');

/** The teams whose secrets a principal may change (rotate, turn off, ...): the self-service portal's scope. */
export const changeableTeams = (principal: Principal): 'all' | string[] => teamScope(principal, 'secrets:rotate');

/** With AUTH_MODE=local (the default), every request runs as one local principal with every permission. */
export const LOCAL_PRINCIPAL: Principal = { id: 'local', name: 'Local operator', roles: ['admin'], teams: [] };

/** Nobody signed in: public actions only. Set on public routes and on pages outside the API. */
export const ANONYMOUS_PRINCIPAL: Principal = { id: 'anonymous', name: 'Anonymous', roles: [], teams: [] };

export const localPrincipal: RequestHandler = (req, _res, next) => {
  req.principal = LOCAL_PRINCIPAL;
  next();
};
