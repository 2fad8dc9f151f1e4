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

/**
 * What an action is done to. A secret carries its owning team (from its tag), if any; a rotation
 * function the teams that own it (`resourceOwners`, below).
 */
export type Resource =
  | { type: 'service' }
  | { type: 'secrets' }
  | { type: 'secret'; name: string; team: string | null }
  | { type: 'function'; name: string; owners: string[] }
  /** A team's own settings (its alert channels). */
  | { type: 'team'; team: string };

/**
 * How each action is decided. A `Record` over every action, so a new action does not
 * compile until someone says who may do it.
 * - `public`: anyone, signed in or not (the health probe).
 * - `read`: viewers and admins on everything; an operator on the secrets (and functions) of its own
 *   teams (and on the service and the collection, which lists then filter by `teamScope`).
 * - `team`: an operator on a secret (or function) of one of the operator's teams; an admin anywhere.
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
  'functions:adopt': 'admin',
  // Issue 15: the Functions page reads like the dashboard; redeploying a function is its owners' change.
  'functions:list': 'read',
  'functions:update': 'team',
  // Issue 16: the events' rule and queue are the console's own account's; their status shows what any message held.
  'events:read': 'admin',
  'events:setup': 'admin',
  // Issue 16: a team's alert channels and delivery log are its operators' (and admins'); viewers see neither.
  'alerts:read': 'team',
  'alerts:manage': 'team',
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
/** A function no team owns belongs to no operator: only viewers see it, only admins change it. */
const ownsFunction = (principal: Principal, owners: readonly string[]) => owners.some((team) => principal.teams.includes(team));

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
      if (resource.type === 'secret') return ownsSecret(principal, resource.team);
      if (resource.type === 'team') return principal.teams.includes(resource.team);
      return resource.type === 'function' ? ownsFunction(principal, resource.owners) : true;
    case 'team':
      if (!isOperator(principal)) return false;
      if (resource.type === 'secret') return ownsSecret(principal, resource.team);
      if (resource.type === 'function') return ownsFunction(principal, resource.owners);
      if (resource.type === 'team') return principal.teams.includes(resource.team);
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

// --- Ownership of the AWS resources a rotation touches ------------------------------

/**
 * Every kind of AWS resource the console reads or changes on a team's behalf. A secret's team
 * comes from its tag (above); these are decided by `resourceOwners` from what the console read.
 */
export const RESOURCE_KINDS = ['function', 'role', 'stack', 'vpc', 'subnet', 'security-group', 'vpc-endpoint', 'bucket'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** The words for each kind, in messages and on pages. */
export const RESOURCE_KIND_LABELS: Readonly<Record<ResourceKind, string>> = {
  function: 'Lambda function',
  role: 'IAM role',
  stack: 'CloudFormation stack',
  vpc: 'VPC',
  subnet: 'subnet',
  'security-group': 'security group',
  'vpc-endpoint': 'VPC endpoint',
  bucket: 'S3 bucket',
};

/**
 * What the console read about one resource, from which its owners follow. Pure data, so the web
 * app can decide the same way the API does.
 */
export interface ResourceFacts {
  kind: ResourceKind;
  /** ARN, name or id, as the person knows it. */
  id: string;
  /** The value of its team tag, if it has one. */
  tagTeam: string | null;
  /** The teams whose entry in the teams file lists it (`functions`, `network`). */
  listedFor: string[];
  /** Network kinds: the teams for which it is their database's own (found through RDS for the secret's host). */
  databaseOf?: string[];
  /** Functions: the teams of the secrets it rotates now (null for an untagged secret). */
  servesTeams?: (string | null)[];
  /** Roles and stacks: the owners of the function they belong to, when the resource has no team tag of its own. */
  inheritsFrom?: ResourceFacts;
  /** The console's own infrastructure (the artifact bucket), shared by every team and written only by the console. */
  console?: boolean;
}

/**
 * The teams that own a resource:
 * - anything tagged with a team belongs to that team (the console tags what it creates);
 * - a function listed for a team in the teams file is the team's; an untagged, unlisted function
 *   belongs to the one team whose secrets it alone rotates, and to nobody when it rotates secrets
 *   of several teams, of no team, or nothing at all (it may be anything: only an admin adopts it);
 * - a role or stack without a team tag belongs to whoever owns its function;
 * - a VPC, subnet or security group belongs to the teams it is tagged with, listed for, or whose
 *   database runs in it.
 */
export const resourceOwners = (facts: ResourceFacts): string[] => {
  if (facts.tagTeam) return [facts.tagTeam];
  switch (facts.kind) {
    case 'function': {
      if (facts.listedFor.length) return [...new Set(facts.listedFor)].sort();
      const served = [...new Set(facts.servesTeams ?? [])];
      return served.length === 1 && served[0] ? [served[0]] : [];
    }
    case 'role':
    case 'stack':
      return facts.listedFor.length ? [...new Set(facts.listedFor)].sort() : facts.inheritsFrom ? resourceOwners(facts.inheritsFrom) : [];
    case 'vpc':
    case 'subnet':
    case 'security-group':
    case 'vpc-endpoint':
      return [...new Set([...facts.listedFor, ...(facts.databaseOf ?? [])])].sort();
    case 'bucket':
      return [];
  }
};

/** The owner in words: "team payments", "teams a and b", "the console", "no team". */
export const ownerInWords = (facts: ResourceFacts): string => {
  if (facts.console) return 'the console';
  const owners = resourceOwners(facts);
  if (!owners.length) return 'no team';
  return owners.length === 1 ? `team ${owners[0]}` : `teams ${owners.slice(0, -1).join(', ')} and ${owners.at(-1)}`;
};

/**
 * Whether `principal` may use (and, where a step changes it, change) a resource for a secret of
 * `team`: admins any; an operator only a resource that `team` owns, for a secret of one of the
 * operator's own teams. The console's own bucket serves every team: the console alone writes its
 * artifact there, never a team's choice.
 */
export const mayUseResource = (principal: Principal, facts: ResourceFacts, team: string | null): boolean => {
  if (isAdmin(principal)) return true;
  if (!isOperator(principal) || !ownsSecret(principal, team)) return false;
  if (facts.console) return true;
  return resourceOwners(facts).includes(team!);
};
