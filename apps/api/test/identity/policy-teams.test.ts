import { Action, type Role } from '@rotation-console/contracts';
import { describe, expect, it } from 'vitest';
import {
  ACTION_RULES,
  ANONYMOUS_PRINCIPAL,
  LOCAL_PRINCIPAL,
  authorize,
  changeableTeams,
  isAllowed,
  teamScope,
  visibleTeams,
  type Principal,
  type Resource,
} from '../../src/platform/auth.ts';
import { NotAllowedError } from '../../src/platform/errors.ts';

// The expectations below are written out by hand, from the policy, not derived
// from ACTION_RULES: a change to the policy has to change this table too.

type Who = 'nobody' | 'viewer' | 'operator' | 'operator-no-team' | 'admin';
type Target = 'own-secret' | 'other-secret' | 'untagged-secret' | 'own-function' | 'other-function' | 'nobodys-function' | 'service' | 'secrets';

const principals: Record<Who, Principal> = {
  nobody: { id: 'n', name: 'Signed in, no role', roles: [], teams: ['payments'] },
  viewer: { id: 'v', name: 'Vic', roles: ['viewer'], teams: ['payments'] },
  operator: { id: 'p', name: 'Pat', roles: ['operator'], teams: ['payments'] },
  'operator-no-team': { id: 'o', name: 'Nora', roles: ['operator'], teams: [] },
  admin: { id: 'a', name: 'Alice', roles: ['admin'], teams: [] },
};

const targets: Record<Target, Resource> = {
  'own-secret': { type: 'secret', name: 'payments/db', team: 'payments' },
  'other-secret': { type: 'secret', name: 'identity/db', team: 'identity' },
  'untagged-secret': { type: 'secret', name: 'legacy/db', team: null },
  // A function payments owns together with identity (both list it in the teams file), identity's, and one nobody owns.
  'own-function': { type: 'function', name: 'payments-rotation', owners: ['identity', 'payments'] },
  'other-function': { type: 'function', name: 'identity-rotation', owners: ['identity'] },
  'nobodys-function': { type: 'function', name: 'shared-rotation', owners: [] },
  service: { type: 'service' },
  secrets: { type: 'secrets' },
};

const ALL_TARGETS = Object.keys(targets) as Target[];
const everyone: Record<Who, Target[]> = {
  nobody: ALL_TARGETS,
  viewer: ALL_TARGETS,
  operator: ALL_TARGETS,
  'operator-no-team': ALL_TARGETS,
  admin: ALL_TARGETS,
};
// Viewers read everything; an operator reads its own team's secrets and functions (and lists, filtered), nothing of another team's.
const readers: Record<Who, Target[]> = {
  ...everyone,
  nobody: [],
  operator: ['own-secret', 'own-function', 'service', 'secrets'],
  'operator-no-team': ['service', 'secrets'],
};
const adminOnly: Record<Who, Target[]> = { nobody: [], viewer: [], operator: [], 'operator-no-team': [], admin: ALL_TARGETS };
const ownTeam: Record<Who, Target[]> = { ...adminOnly, operator: ['own-secret', 'own-function'] };

/** For each action and each principal: the targets it is allowed on (every other target is refused). */
const expected: Record<Action, Record<Who, Target[]>> = {
  'health:read': everyone,
  'secrets:list': readers,
  'secrets:read': readers,
  'dashboard:read': readers,
  'workflows:read': readers,
  'secrets:check': ownTeam,
  // A schedule preview (rotation:plan on the service) names no secret: any operator may ask for one.
  'rotation:plan': { ...ownTeam, operator: ['own-secret', 'own-function', 'service'], 'operator-no-team': ['service'] },
  'workflows:start': ownTeam,
  'secrets:rotate': ownTeam,
  'secrets:turn-off': ownTeam,
  'secrets:clear-stuck': ownTeam,
  'secrets:roll-back': ownTeam,
  'audit:read': adminOnly,
  'functions:adopt': adminOnly,
  'functions:list': readers,
  'functions:update': ownTeam,
  'events:read': adminOnly,
  'events:setup': adminOnly,
  // Issue 16: a team's alert channels (on a team resource: tested in alerts-portal.test.ts); on a secret, its team's operators.
  'alerts:read': ownTeam,
  'alerts:manage': ownTeam,
};

const cases = Action.options.flatMap((action) =>
  (Object.keys(principals) as Who[]).flatMap((who) => ALL_TARGETS.map((target) => ({ action, who, target, allowed: expected[action][who].includes(target) }))),
);

describe('The one policy: every action x role x own / other / no team', () => {
  it('When the table is read, then it covers every action of the contracts', () => {
    expect(Object.keys(expected).sort()).toEqual([...Action.options].sort());
    expect(Object.keys(ACTION_RULES).sort()).toEqual([...Action.options].sort());
    expect(cases).toHaveLength(Action.options.length * 5 * ALL_TARGETS.length);
  });

  it.each(cases)('When $who asks $action on $target, then allowed is $allowed', ({ action, who, target, allowed }) => {
    expect(isAllowed(principals[who], action, targets[target])).toBe(allowed);
    if (allowed) expect(() => authorize(principals[who], action, targets[target])).not.toThrow();
    else expect(() => authorize(principals[who], action, targets[target])).toThrow(NotAllowedError);
  });
});

describe('Roles add up; teams only count for operators', () => {
  const viewerOfPayments: Principal = { id: 'x', name: 'x', roles: ['viewer'], teams: ['payments'] };
  const operatorAndViewer: Principal = { id: 'y', name: 'y', roles: ['viewer', 'operator'], teams: ['payments', 'identity'] };
  const own = targets['own-secret'];

  it('When a viewer carries a team, then it still changes nothing of that team', () => {
    for (const action of ['secrets:check', 'secrets:rotate', 'workflows:start', 'secrets:turn-off', 'secrets:clear-stuck'] as const) {
      expect(isAllowed(viewerOfPayments, action, own)).toBe(false);
    }
  });

  it('When a principal is viewer and operator of two teams, then it changes secrets of both teams and of no other', () => {
    expect(isAllowed(operatorAndViewer, 'secrets:rotate', { type: 'secret', name: 'a', team: 'payments' })).toBe(true);
    expect(isAllowed(operatorAndViewer, 'secrets:rotate', { type: 'secret', name: 'b', team: 'identity' })).toBe(true);
    expect(isAllowed(operatorAndViewer, 'secrets:rotate', { type: 'secret', name: 'c', team: 'analytics' })).toBe(false);
    expect(isAllowed(operatorAndViewer, 'secrets:roll-back', { type: 'secret', name: 'c', team: 'analytics' })).toBe(false);
    // The viewer role reads every team's secrets even where the operator role could not.
    expect(isAllowed(operatorAndViewer, 'secrets:read', { type: 'secret', name: 'c', team: 'analytics' })).toBe(true);
  });

  it('When team names differ only in case, then they are different teams (tags are case-sensitive)', () => {
    expect(isAllowed(principals.operator, 'secrets:rotate', { type: 'secret', name: 'a', team: 'Payments' })).toBe(false);
  });

  it('When the local principal or an anonymous caller asks, then local may do everything and anonymous only read health', () => {
    for (const action of Action.options) {
      for (const target of ALL_TARGETS) {
        expect(isAllowed(LOCAL_PRINCIPAL, action, targets[target])).toBe(true);
        expect(isAllowed(ANONYMOUS_PRINCIPAL, action, targets[target])).toBe(action === 'health:read');
      }
    }
  });
});

describe('teamScope: whose secrets an action reaches, for list endpoints', () => {
  const roles: Role[][] = [[], ['viewer'], ['operator'], ['admin'], ['viewer', 'operator']];
  const teamSets = [[], ['payments'], ['payments', 'identity']];
  const sampleTeams: (string | null)[] = ['payments', 'identity', 'analytics', null];

  it('When compared with isAllowed on secrets of every team, then the scope agrees for every action and principal', () => {
    for (const action of Action.options) {
      for (const r of roles) {
        for (const teams of teamSets) {
          const principal: Principal = { id: 'p', name: 'p', roles: r, teams };
          const scope = teamScope(principal, action);
          for (const team of sampleTeams) {
            const inScope = scope === 'all' || (team !== null && scope.includes(team));
            expect(inScope, `${r.join('+') || 'no role'} ${teams.join('+')} ${action} ${team}`).toBe(
              isAllowed(principal, action, { type: 'secret', name: 's', team }),
            );
          }
        }
      }
    }
  });

  it('When asked for the list and the portal scopes, then viewers see all and operators see and change their own teams only', () => {
    expect(visibleTeams(principals.viewer)).toBe('all');
    expect(visibleTeams(principals.operator)).toEqual(['payments']);
    expect(visibleTeams(principals['operator-no-team'])).toEqual([]);
    expect(visibleTeams(principals.nobody)).toEqual([]);
    expect(changeableTeams(principals.admin)).toBe('all');
    expect(changeableTeams(principals.operator)).toEqual(['payments']);
    expect(changeableTeams(principals['operator-no-team'])).toEqual([]);
    expect(changeableTeams(principals.viewer)).toEqual([]);
  });
});
