import type { RuntimeEndOfLife } from '@rotation-console/contracts';
import { runtimeStanding } from './preflight/runtimes.ts';

const DAY_MS = 86_400_000;

/** A runtime's end of life as the Functions page shows it, from the runtimes table (preflight/runtimes.ts) on `now`. */
export const runtimeEndOfLife = (runtime: string, now: Date): RuntimeEndOfLife => {
  const standing = runtimeStanding(runtime, now);
  if (standing.kind === 'unlisted') return { verdict: 'unlisted', deprecatedOn: null, blockUpdateOn: null, daysLeft: null, successor: null };
  const { lifecycle } = standing;
  const daysLeft =
    standing.kind === 'ending'
      ? standing.daysLeft
      : standing.kind === 'supported'
        ? Math.ceil((Date.parse(`${lifecycle.deprecation}T00:00:00Z`) - now.getTime()) / DAY_MS)
        : null;
  return { verdict: standing.kind, deprecatedOn: lifecycle.deprecation, blockUpdateOn: lifecycle.blockUpdate, daysLeft, successor: lifecycle.successor };
};
