import type { Role } from '@rotation-console/contracts';
import type { Principal } from '../auth.ts';
import type { RoleMapping } from './identity-config.ts';

const ROLE_ORDER: Role[] = ['viewer', 'operator', 'admin'];

/**
 * The values of the role claim: a claim of that exact name first (`groups`,
 * `cognito:groups`, `https://example.com/groups`), else a dotted path into nested
 * claims (`realm_access.roles` in Keycloak). A single string counts as one value.
 */
export const claimValues = (claims: Record<string, unknown>, claim: string): string[] => {
  let value: unknown = claims[claim];
  if (value === undefined && claim.includes('.')) {
    value = claim
      .split('.')
      .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), claims);
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
};

const firstString = (...values: unknown[]) => values.find((v): v is string => typeof v === 'string' && v.length > 0);

/**
 * The principal of an ID token or an access token: `sub` as id, a readable name, and the
 * roles and teams its role claim maps to. Unknown claim values grant nothing.
 */
export const principalFromClaims = (claims: Record<string, unknown>, { roleClaim, mapping }: { roleClaim: string; mapping: RoleMapping }): Principal => {
  const roles = new Set<Role>();
  const teams = new Set<string>();
  for (const value of claimValues(claims, roleClaim)) {
    const role = Object.hasOwn(mapping.roles, value) ? mapping.roles[value] : undefined;
    if (role) roles.add(role);
    const team = Object.hasOwn(mapping.teams, value)
      ? mapping.teams[value]
      : mapping.teamPrefix && value.startsWith(mapping.teamPrefix) && value.length > mapping.teamPrefix.length
        ? value.slice(mapping.teamPrefix.length)
        : undefined;
    if (team) teams.add(team);
  }
  const id = firstString(claims.sub, claims.client_id) ?? 'unknown';
  return {
    id,
    name: firstString(claims.name, claims.preferred_username, claims.email, claims.client_id, claims.sub) ?? id,
    roles: ROLE_ORDER.filter((role) => roles.has(role)),
    teams: [...teams].sort(),
  };
};
