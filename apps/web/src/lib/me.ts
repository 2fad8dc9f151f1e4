import type { Action, Me, Resource } from '@rotation-console/contracts';
import { isAllowed } from '@rotation-console/contracts/policy';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiGetTyped } from './api-client.ts';

/**
 * Who the console runs as (GET /api/v1/me); fetched once per page load, by the layout of every page.
 * Typed by the contract, not parsed, so the landing page loads no zod (see apiGetTyped); the policy
 * comes from its zod-free module.
 */
export const meQueryOptions = queryOptions({
  queryKey: ['me'] as const,
  queryFn: ({ signal }) => apiGetTyped<Me>('/api/v1/me', { signal }),
  staleTime: Number.POSITIVE_INFINITY,
});

export const useMe = () => useQuery(meQueryOptions);

/**
 * `can(action, resource)`: the API's own policy (from the contracts), asked in the browser so a
 * page hides what the person may not do. The API still refuses it; until /me answers, nothing is allowed.
 */
export const useCan = (): ((action: Action, resource: Resource) => boolean) => {
  const { data: me } = useMe();
  return useCallback((action: Action, resource: Resource) => (me ? isAllowed(me, action, resource) : false), [me]);
};

/** "admin", "operator · team payments", "operator · no team": roles and teams in a few words. */
export const describeMe = (me: Pick<Me, 'roles' | 'teams'>): string => {
  const roles = me.roles.length > 0 ? me.roles.join(', ') : 'no role';
  if (me.roles.includes('admin') || !me.roles.includes('operator')) return roles;
  const teams = me.teams.length === 0 ? 'no team' : `${me.teams.length === 1 ? 'team' : 'teams'} ${me.teams.join(', ')}`;
  return `${roles} · ${teams}`;
};

/** Why a change to a secret is not for this person, in words for a disabled button's tooltip. */
export const whyNotChange = (me: Me | undefined, team: string | null): string => {
  if (!me) return 'Checking what you may do…';
  if (!me.roles.includes('operator')) {
    return me.roles.includes('viewer') ? 'Viewers can look, not change: ask an operator of the team or an admin.' : 'Your account has no role in the console.';
  }
  if (team === null) return 'This secret has no team tag: only admins change it.';
  return `Only operators of team ${team} and admins change this secret.`;
};

/** Whether `action` on a secret of `team` is allowed, and if not, why (for a disabled button). */
export const useSecretPermission = (action: Action, secret: { name: string; team: string | null } | undefined) => {
  const { data: me } = useMe();
  const allowed = me !== undefined && secret !== undefined && isAllowed(me, action, { type: 'secret', name: secret.name, team: secret.team });
  return { allowed, reason: allowed ? undefined : whyNotChange(me, secret?.team ?? null) };
};
