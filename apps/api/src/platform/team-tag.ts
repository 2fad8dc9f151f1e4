/** A tag as the AWS SDKs return it. */
export interface AwsTag {
  Key?: string | undefined;
  Value?: string | undefined;
}

/**
 * The team a resource belongs to by its tag (key TEAM_TAG_KEY, default `team`), or null. The one
 * place that reads it, for secrets and for every other resource the console touches.
 */
export const teamOf = (tags: readonly AwsTag[] | undefined, teamTagKey: string): string | null => tags?.find((t) => t.Key === teamTagKey)?.Value || null;

/** The tags the console puts on what it creates for a team. */
export const MANAGED_BY = { Key: 'managed-by', Value: 'rotation-console' } as const;
export const ownershipTags = (team: string | null, teamTagKey: string): { Key: string; Value: string }[] => [
  ...(team ? [{ Key: teamTagKey, Value: team }] : []),
  { ...MANAGED_BY },
];
