import { currentTarget } from './targets/target-scope.ts';

/** A tag as the AWS SDKs return it, or as the console keeps it (contracts' Tag). */
export type AnyTag = { Key?: string | undefined; Value?: string | undefined } | { key: string; value: string };

const keyOf = (t: AnyTag) => ('key' in t ? t.key : t.Key);
const valueOf = (t: AnyTag) => ('key' in t ? t.value : t.Value);

/**
 * The team a resource belongs to: by its tag (key TEAM_TAG_KEY, default `team`), else the team that
 * owns its account whole (the teams file's `accounts`; the current target's, targets/target-scope.ts:
 * every call on a resource runs in its account's target), else null. The one place that reads it,
 * for secrets and for every other resource the console touches.
 */
export const teamOf = (tags: readonly AnyTag[] | undefined, teamTagKey: string): string | null => {
  const tag = tags?.find((t) => keyOf(t) === teamTagKey);
  return (tag ? valueOf(tag) : undefined) ?? currentTarget()?.owningTeam ?? null;
};

/** The tags the console puts on what it creates for a team. */
export const MANAGED_BY = { Key: 'managed-by', Value: 'rotation-console' } as const;
export const ownershipTags = (team: string | null, teamTagKey: string): { Key: string; Value: string }[] => [
  ...(team ? [{ Key: teamTagKey, Value: team }] : []),
  { ...MANAGED_BY },
];
