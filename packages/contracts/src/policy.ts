import type { Action, Role } from './permissions.ts';

/**
 * The one policy, as pure rules: the API enforces it on every route (apps/api platform/auth.ts
 * throws with it), the web app asks the same rules to hide what a person may not do.
 */
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
 * - `read`: viewers and admins on everything; an operator on the secrets of its own teams
 *   (and on the service and the collection, which lists then filter by `teamScope`).
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
  'secrets:check': 'team',
  'rotation:plan': 'team',
  'workflows:start': 'team',
  'secrets:rotate': 'team',
  'secrets:turn-off': 'team',
  'secrets:clear-stuck': 'team',
  // Issue 5: the four operations are for operators and admins; the roll back stays within the team like the rest.
  'secrets:roll-back': 'team',
  'audit:read': 'admin',
};

/**
 * Team actions an operator may also do on the service as a whole, where no secret is
 * involved: a schedule preview only computes dates; the wizard's lists of VPCs and Lambda
 * functions (network discovery, for planning; viewers never see the account's network). Everything else an operator changes
 * names a secret, and the secret's team decides.
 */
const OPERATOR_SERVICE_ACTIONS: ReadonlySet<Action> = new Set(['rotation:plan']);

const isAdmin = (principal: Principal) => principal.roles.includes('admin');
const isViewer = (principal: Principal) => principal.roles.includes('viewer');
const isOperator = (principal: Principal) => principal.roles.includes('operator');
/** A secret without a team tag belongs to no operator: only viewers see it, only admins change it. */
const ownsSecret = (principal: Principal, team: string | null) => team !== null && principal.teams.includes(team);

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
      if (isViewer(principal)) return true;
      if (!isOperator(principal)) return false;
      return resource.type === 'secret' ? ownsSecret(principal, resource.team) : true;
    case 'team':
      if (!isOperator(principal)) return false;
      if (resource.type === 'secret') return ownsSecret(principal, resource.team);
      return resource.type === 'service' && OPERATOR_SERVICE_ACTIONS.has(action);
    case 'admin':
      return false;
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
  if (rule === 'read' && isViewer(principal)) return 'all';
  if ((rule === 'read' || rule === 'team') && isOperator(principal)) return [...new Set(principal.teams)].sort();
  return [];
};

/** The teams whose secrets a principal may see in lists, counts and the dashboard (`'all'` for viewers and admins). */
export const visibleTeams = (principal: Principal): 'all' | string[] => teamScope(principal, 'secrets:list');

/** The teams whose secrets a principal may change (rotate, turn off, ...): the self-service portal's scope. */
export const changeableTeams = (principal: Principal): 'all' | string[] => teamScope(principal, 'secrets:rotate');

/** Whether a secret of `team` is inside a scope from `teamScope`. */
export const inTeamScope = (scope: 'all' | string[], team: string | null): boolean => scope === 'all' || (team !== null && scope.includes(team));
