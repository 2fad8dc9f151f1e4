import type { Target } from '../../platform/targets/target.ts';
import { runInTarget } from '../../platform/targets/target-scope.ts';
import type { LambdaFunctionRecord } from './functions.aws.ts';

/**
 * How long a target's list of functions is kept: the page asks Lambda (ListFunctions, and ListTags
 * for each rotation function) at most this often per target, whoever opens it and however often.
 */
export const LISTING_KEPT_MS = 60_000;

export interface FunctionListing {
  at: Date;
  functions: LambdaFunctionRecord[];
}

interface Kept {
  at: number;
  listing: Promise<FunctionListing>;
  /** Tags by function ARN, read on first need, once per listing. */
  tags: Map<string, Promise<Record<string, string>>>;
}

interface Deps {
  /** ListFunctions in the current target. */
  list: () => Promise<LambdaFunctionRecord[]>;
  /** ListTags of these functions in the current target. */
  tagsOf: (arns: string[]) => Promise<Map<string, Record<string, string>>>;
  keptMs?: number;
  now?: () => Date;
}

/**
 * Each target's functions and their tags, kept LISTING_KEPT_MS: many people opening the Functions
 * page at once cost one ListFunctions per target. A failed listing is kept as long (a target whose
 * role is refused is not asked again on every page). `forget` drops a target's listing, so the
 * console's own change (an update) shows at once.
 */
export const createFunctionListings = ({ list, tagsOf, keptMs = LISTING_KEPT_MS, now = () => new Date() }: Deps) => {
  const kept = new Map<string, Kept>();

  const entry = (target: Target): Kept => {
    const at = now().getTime();
    const found = kept.get(target.key);
    if (found && at - found.at < keptMs) return found;
    const listing = runInTarget(target, list).then((functions) => ({ at: new Date(at), functions }));
    const fresh: Kept = { at, listing, tags: new Map() };
    // Kept failed too; the rejection is the caller's to report.
    listing.catch(() => undefined);
    kept.set(target.key, fresh);
    return fresh;
  };

  return {
    /** The target's functions, as Lambda listed them within LISTING_KEPT_MS. */
    get: (target: Target): Promise<FunctionListing> => entry(target).listing,

    /** The tags of these functions of the target's listing, each read once per listing. */
    async tags(target: Target, arns: readonly string[]): Promise<Map<string, Record<string, string>>> {
      const { tags } = entry(target);
      const missing = arns.filter((arn) => !tags.has(arn));
      if (missing.length > 0) {
        const read = runInTarget(target, () => tagsOf(missing));
        for (const arn of missing) {
          const one = read.then((all) => all.get(arn) ?? {});
          // A failed read is asked again next time.
          one.catch(() => tags.delete(arn));
          tags.set(arn, one);
        }
      }
      const values = await Promise.all(arns.map(async (arn) => [arn, await tags.get(arn)!] as const));
      return new Map(values);
    },

    /** Drops what is kept of a target: its next page lists again. */
    forget(targetKey: string): void {
      kept.delete(targetKey);
    },
  };
};
export type FunctionListings = ReturnType<typeof createFunctionListings>;
