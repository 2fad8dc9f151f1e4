import { z } from 'zod';
import { TargetFreshness } from './targets.ts';

const isoDate = z.iso.datetime({ offset: true });

/**
 * How fresh an answer from the console's index of secrets is (filled by a background crawl of
 * ListSecrets, modules/dashboard/crawler.ts): the dashboard, the calendar, the portal and the
 * Secrets list carry it.
 */
export const IndexFreshness = z.object({
  /** 'empty': no target crawled yet (pages come straight from AWS meanwhile); 'crawling': a crawl runs; 'ready': every target crawled (or failed) at least once. */
  state: z.enum(['empty', 'crawling', 'ready']),
  /** When the last complete crawl of a target finished. */
  indexedAt: isoDate.nullable(),
  /** When the index last changed (crawl, incremental refresh or the console's own writes). */
  updatedAt: isoDate.nullable(),
  secretsIndexed: z.number().int(),
  /** Where this answer came from. */
  source: z.enum(['index', 'aws']),
  /** Each account-region the console covers: its last success, and its error when its last crawl failed. */
  targets: z.array(TargetFreshness),
});
export type IndexFreshness = z.infer<typeof IndexFreshness>;
