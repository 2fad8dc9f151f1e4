import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { eachBounded } from '../../platform/each-bounded.ts';
import { UpstreamError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Target } from '../../platform/targets/target.ts';
import type { TargetRegistry } from '../../platform/targets/target-registry.ts';
import { runInTarget } from '../../platform/targets/target-scope.ts';
import { backoffDelay, sleep, type RetryPolicy } from '../../platform/workflow/backoff.ts';
import type { WorkflowEvents } from '../../platform/workflow/events.ts';
import { FINISHED_STEP, FINISHED_WORKFLOW } from '../../platform/workflow/records.ts';
import { LIST_PAGE_SIZE, type IndexSource, type ListedPage, type ListFilter } from './crawl.aws.ts';
import { toIndexRow, type IndexedSecret, type NewIndexRow, type TagKeys } from './index-row.ts';
import type { SecretIndexStore } from './index-store/secret-index-store.ts';
import type { LastRotationEvidence } from '@rotation-console/rotation';
import type { LastRotationEvidenceService } from '../secrets/last-rotation.ts';
import type { SecretRecord } from '../secrets/secrets.aws.ts';

/** Throttling and 5xx from ListSecrets: exponential backoff with full jitter, about a minute in all at most. */
export const CRAWL_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 20_000 };

/**
 * How long the crawl waits for one ListSecrets page before trying again. Longer than the
 * interactive AWS_TIMEOUT_MS: nobody waits on the crawl, and a retry makes the service list
 * the same page again (a slow emulator at 50,000 secrets would mostly redo work).
 */
export const CRAWL_PAGE_TIMEOUT_MS = 30_000;

/**
 * The last rotations with no verdict yet are read from their functions' logs as their page is
 * written (so a row never shows a status its evidence would change), this many a pass at most
 * (the rest on the next pass), this many at once: a log read is one or more FilterLogEvents
 * calls, and the pass should not flood CloudWatch Logs.
 */
export const CHECKS_PER_PASS = 50;
const CHECKS_AT_ONCE = 4;

/** DescribeSecret calls in flight at once when the Secrets list's page in view is read again (a page holds up to 100). */
const DESCRIBES_AT_ONCE = 8;

/** A crawler that stops renewing (it died) gives a target's lease up after this long, unless INDEX_LEASE_MS says otherwise. */
export const LEASE_MS = 120_000;

/** Targets crawled at once unless INDEX_TARGETS_AT_ONCE says otherwise. */
export const TARGETS_AT_ONCE = 4;

export interface CrawlResult {
  /** False when another process held the lease of every target (it crawls them instead). */
  ran: boolean;
  /** The targets this pass crawled, and those whose crawl failed (the others' go on). */
  targets: { crawled: string[]; failed: { key: string; error: string }[]; skipped: string[] };
  pages: number;
  secrets: number;
  changed: number;
  deleted: number;
  retries: number;
  ms: number;
}

interface Deps {
  store: SecretIndexStore;
  source: IndexSource;
  /** The account-regions to crawl; every call of a target's crawl runs in it (its region, its role). */
  targets: TargetRegistry;
  /** How many targets are crawled at once (INDEX_TARGETS_AT_ONCE); each target's own pages stay one after another. */
  targetsAtOnce?: number;
  /** A target's crawl lease (INDEX_LEASE_MS): renewed with every page; another process takes the target this long after its crawler died. */
  leaseMs?: number;
  /** The verdicts on last rotations from the functions' logs: a secret is healthy only on one. */
  lastRotation: LastRotationEvidenceService;
  db: Kysely<Database>;
  tagKeys: TagKeys;
  logger: Logger;
  refreshMs: number;
  retry?: RetryPolicy;
  /** ListSecrets' MaxResults; 100 (its largest) but in tests. */
  pageSize?: number;
  now?: () => Date;
}

const isLambdaArn = (id: string) => id.split(':')[2] === 'lambda';

const isRetryable = (error: unknown) => error instanceof UpstreamError && error.retryable;

/**
 * Keeps the index in step with AWS, in every target (account-region) the console covers:
 * - a full pass of ListSecrets in each target (pages of 100, the next page fetched while the
 *   previous one is written, one transaction per page), mark and sweep by generation within the
 *   target so deleted secrets go; a few targets at once, each under its own lease (several API
 *   processes share the targets; one that dies hands its targets over when its leases run out),
 *   each with its own backoff on throttling; a target that fails keeps its error and its last
 *   success and holds back no other;
 * - that pass again INDEX_REFRESH_MS after the previous one ended (the periodic refresh);
 * - one secret at once (DescribeSecret) when this process's workflow runner finishes a step or a
 *   workflow, so the console's own changes show without waiting for the next pass;
 * - the page of the Secrets list in view, on its Refresh: ListSecrets for the page's filters, then
 *   DescribeSecret for each secret on it (refreshSecrets, indexListed);
 * - the verdict on each new last rotation from its function's log, as its page is written (a
 *   bounded number per pass), and at once for a secret refreshed alone.
 * It never holds more than two pages of secrets in memory.
 */
export class IndexCrawler {
  readonly #deps: Deps;
  readonly #owner = `crawler-${randomUUID()}`;
  readonly #retry: RetryPolicy;
  readonly #now: () => Date;
  #running: Promise<CrawlResult> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #abort = new AbortController();
  #stopped = false;
  /** Secrets waiting for (or in) a refresh after a workflow event; true: run once more after this one. */
  readonly #refreshing = new Map<string, boolean>();
  readonly #refreshes = new Set<Promise<void>>();
  #unsubscribe: (() => void) | null = null;
  /** Told after a full pass (no ARNs: every secret) and after a secret is re-indexed alone (alerts evaluate what changed). */
  readonly #indexed = new Set<(arns?: string[]) => void>();

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#retry = deps.retry ?? CRAWL_RETRY;
    this.#now = deps.now ?? (() => new Date());
  }

  /** Crawls now (at boot), then again INDEX_REFRESH_MS after each pass ends. */
  start(): void {
    this.#stopped = false;
    const loop = async () => {
      this.#timer = null;
      if (this.#stopped) return;
      await this.crawlOnce().catch(() => undefined);
      if (!this.#stopped) this.#timer = setTimeout(loop, this.#deps.refreshMs);
    };
    void loop();
  }

  /** Stops the periodic pass and any crawl or refresh under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort.abort();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await Promise.allSettled([this.#running, ...this.#refreshes]);
    this.#abort = new AbortController();
  }

  /** One full pass; a second caller while one runs gets the same pass. */
  crawlOnce(): Promise<CrawlResult> {
    this.#running ??= this.#crawl()
      .then((result) => {
        this.#tell();
        return result;
      })
      .finally(() => {
        this.#running = null;
      });
    return this.#running;
  }

  /** Calls `listener` after each full pass (no ARNs) and after each secret re-indexed alone (its ARN). */
  onIndexed(listener: (arns?: string[]) => void): () => void {
    this.#indexed.add(listener);
    return () => this.#indexed.delete(listener);
  }

  #tell(arns?: string[]) {
    for (const listener of this.#indexed) listener(arns);
  }

  /** Re-indexes the secret a workflow acts on whenever one of its steps, or the workflow, ends. */
  subscribe(events: WorkflowEvents): void {
    const onStep = (e: { workflowId: string; status: string }) => {
      if (FINISHED_STEP.has(e.status as never)) this.#refreshWorkflowSubject(e.workflowId);
    };
    // A workflow's end changes nothing on AWS: its last step's end (just before) already refreshes the secret,
    // so a refresh under way for it is enough (a batch's 500 one-step workflows would read each secret twice).
    const onWorkflow = (e: { workflowId: string; status: string }) => {
      if (FINISHED_WORKFLOW.has(e.status as never)) this.#refreshWorkflowSubject(e.workflowId, { unlessUnderWay: true });
    };
    events.on('step', onStep);
    events.on('workflow', onWorkflow);
    this.#unsubscribe = () => {
      events.off('step', onStep);
      events.off('workflow', onWorkflow);
    };
  }

  /** Waits for the refreshes started by workflow events (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#refreshes.size > 0) await Promise.allSettled([...this.#refreshes]);
  }

  /**
   * DescribeSecret in the secret's target, then the row written (or removed when the secret is gone).
   * `inTargetOf`: the target to read it in (a rotation event names its account and region, and may name
   * the secret by name alone); unset: the target its ARN names, or the home target for a name.
   */
  async refreshSecret(secretId: string, inTargetOf?: Target): Promise<'updated' | 'unchanged' | 'removed'> {
    const target = inTargetOf ?? (await this.#deps.targets.scopeFor(secretId));
    const inTarget = <T>(fn: () => Promise<T>) => (target ? runInTarget(target, fn) : fn());
    return inTarget(async () => {
      const secret = await this.#deps.source.describe(secretId);
      if (!secret) {
        await this.#deps.store.deleteOne(secretId);
        return 'removed';
      }
      const verdict = await this.#deps.lastRotation.check(secret);
      const generation = await this.#deps.store.currentGeneration();
      const result = await this.#deps.store.upsertSome([toIndexRow(secret, this.#deps.tagKeys, this.#now(), generation, verdict)]);
      this.#tell([secret.arn]);
      return result.changed > 0 ? 'updated' : 'unchanged';
    });
  }

  /**
   * refreshSecret for each of these secrets (the rows of a page of the Secrets list), a few at a
   * time. DescribeSecret, not ListSecrets: AWS documents that ListSecrets may not reflect the last
   * five minutes' changes and that DescribeSecret gives a secret's latest state, so a secret changed
   * or deleted in AWS just now shows as it is (or leaves the index) when its page is refreshed.
   * The first failure (after the SDK's own retries) fails the whole refresh.
   */
  async refreshSecrets(secretIds: readonly string[]): Promise<void> {
    await eachBounded(secretIds, DESCRIBES_AT_ONCE, async (id) => {
      await this.refreshSecret(id);
    });
  }

  /**
   * Indexes what ListSecrets lists for `filter`, at most `maxPages` pages: how a Refresh of the
   * Secrets list finds secrets made outside the console (which no DescribeSecret of the rows in
   * view can) without waiting for the next pass. The last rotations with no verdict yet are read
   * first, as a crawl does, within a crawl pass's budget. It never removes a row: a filtered, bounded
   * listing sees part of the account only (the crawl's sweep and refreshSecret remove).
   * `checks`: how many missing verdicts may be read from the logs (0 for a picker, which shows no
   * status and must answer at once: those rows say unknown until the crawl reads them).
   * `accountId`, `region`: only the targets in that account, or region, are listed (the Secrets
   * list's Account and Region filters: a page of one account-region is refreshed there alone).
   * A target that fails (its role refused, its region not enabled) is left out and logged, as in a
   * crawl: it holds back no other, and the page's freshness line shows it failed since the crawl's
   * last try. Only when every target failed does the listing fail, with the first error.
   * Returns how many secrets were listed, and the targets that failed.
   */
  async indexListed(
    filter: ListFilter,
    maxPages: number,
    { checks = CHECKS_PER_PASS, accountId, region }: { checks?: number; accountId?: string | undefined; region?: string | undefined } = {},
  ): Promise<{ listed: number; failed: { key: string; error: string }[] }> {
    let listed = 0;
    const failed: { key: string; error: string }[] = [];
    let firstError: unknown = null;
    const targets = (await this.#deps.targets.list()).filter((t) => (!accountId || t.accountId === accountId) && (!region || t.region === region));
    await eachBounded(targets, this.#targetsAtOnce, (target) =>
      runInTarget(target, async () => {
        let token: string | null = null;
        let checksLeft = checks;
        for (let pages = 0; pages < maxPages; pages++) {
          const page: ListedPage = await this.#deps.source.listPage(token, { filter });
          listed += page.secrets.length;
          const generation = await this.#deps.store.currentGeneration();
          const { rows, checked } = await this.#rowsOf(page.secrets, generation, checksLeft, this.#abort.signal);
          checksLeft -= checked;
          await this.#deps.store.upsertSome(rows);
          token = page.nextToken;
          if (!token) break;
        }
      }).catch((error: unknown) => {
        firstError ??= error;
        const message = error instanceof Error ? error.message : String(error);
        failed.push({ key: target.key, error: message });
        this.#deps.logger.warn({ target: target.key, error: message }, 'listing a target for a refresh failed; the other targets were listed');
      }),
    );
    if (targets.length > 0 && failed.length === targets.length) throw firstError;
    return { listed, failed };
  }

  // --- Internals --------------------------------------------------------------------------

  get #leaseMs(): number {
    return this.#deps.leaseMs ?? LEASE_MS;
  }

  get #targetsAtOnce(): number {
    return this.#deps.targetsAtOnce ?? TARGETS_AT_ONCE;
  }

  /**
   * One pass over every target, a few at once. A target whose lease another process holds is left
   * to it; one that fails keeps its error and does not stop the others. The pass fails only when
   * every target it tried failed (nothing was crawled), with the first error.
   */
  async #crawl(): Promise<CrawlResult> {
    const { store, logger } = this.#deps;
    const started = performance.now();
    const result: CrawlResult = {
      ran: false,
      targets: { crawled: [], failed: [], skipped: [] },
      pages: 0,
      secrets: 0,
      changed: 0,
      deleted: 0,
      retries: 0,
      ms: 0,
    };
    let targets: Target[];
    try {
      targets = await this.#deps.targets.list();
      const removed = await store.syncTargets(targets);
      if (removed > 0) logger.info({ removed }, 'index: secrets of targets no longer covered removed');
    } catch (error) {
      logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'index crawl failed: the targets could not be listed; the next pass tries again',
      );
      throw error;
    }
    let firstError: unknown = null;
    await eachBounded(targets, this.#targetsAtOnce, async (target) => {
      try {
        const ran = await runInTarget(target, () => this.#crawlTarget(target, result));
        (ran ? result.targets.crawled : result.targets.skipped).push(target.key);
      } catch (error) {
        firstError ??= error;
        result.targets.failed.push({ key: target.key, error: error instanceof Error ? error.message : String(error) });
      }
    });
    result.ran = result.targets.crawled.length > 0 || result.targets.failed.length > 0;
    result.ms = Math.round(performance.now() - started);
    if (result.targets.crawled.length === 0 && firstError !== null) throw firstError;
    return result;
  }

  /** A full pass of one target under its lease; false when another process holds the lease (it crawls the target instead). */
  async #crawlTarget(target: Target, result: CrawlResult): Promise<boolean> {
    const { store, logger } = this.#deps;
    const started = performance.now();
    const mine = { pages: 0, secrets: 0, retries: 0 };
    const generation = await store.beginCrawl(target, this.#owner, this.#leaseMs, this.#now());
    if (generation === null) {
      logger.debug({ target: target.key }, 'index crawl of a target skipped: another process holds its lease');
      return false;
    }
    logger.info({ target: target.key, generation, crawler: this.#owner }, 'index crawl started');
    const signal = this.#abort.signal;
    let checked = 0;
    try {
      // Pipelined: the next page is on its way while this one is written.
      let next: Promise<ListedPage> | null = this.#fetchPage(null, mine, signal);
      while (next) {
        const page: ListedPage = await next;
        next = page.nextToken ? this.#fetchPage(page.nextToken, mine, signal) : null;
        // A rejected prefetch is awaited (and reported) on the next turn; never left unhandled.
        next?.catch(() => undefined);
        mine.pages++;
        mine.secrets += page.secrets.length;
        if (page.secrets.length > 0) {
          const { rows, checked: checkedNow } = await this.#rowsOf(page.secrets, generation, CHECKS_PER_PASS - checked, signal);
          checked += checkedNow;
          const written = await store.writeCrawlBatch(target, rows, generation, { owner: this.#owner, ms: this.#leaseMs });
          if (!written.leaseHeld) throw new Error('the crawl lease was taken over by another process');
          result.changed += written.changed;
        }
        if (signal.aborted) throw new Error('the crawl was stopped');
      }
      const ms = Math.round(performance.now() - started);
      const finished = await store.finishCrawl(target, this.#owner, generation, { ms, pages: mine.pages });
      if (!finished) throw new Error('the crawl lease was taken over by another process');
      result.deleted += finished.deleted;
      logger.info(
        { target: target.key, crawler: this.#owner, ...mine, ms, total: finished.total, deleted: finished.deleted, generation, rotationsChecked: checked },
        'index crawl finished',
      );
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await store.abandonCrawl(target, this.#owner, message).catch(() => undefined);
      if (!signal.aborted)
        logger.warn(
          { target: target.key, pages: mine.pages, secrets: mine.secrets, retries: mine.retries, error: message },
          'index crawl failed; the next pass tries again',
        );
      throw error;
    } finally {
      result.pages += mine.pages;
      result.secrets += mine.secrets;
      result.retries += mine.retries;
    }
  }

  /**
   * The index rows of a listed page (secrets scheduled for deletion left out), each with its last
   * rotation's verdict: recorded ones, and up to `maxChecks` read now from the functions' logs, so a
   * row is never written with a status its evidence would change. Returns how many were read.
   */
  async #rowsOf(secrets: IndexedSecret[], generation: number, maxChecks: number, signal: AbortSignal): Promise<{ rows: NewIndexRow[]; checked: number }> {
    const now = this.#now();
    const kept = secrets.filter((s) => !s.deletedDate);
    const verdicts = await this.#deps.lastRotation.recorded(kept);
    const toCheck = kept.filter((s) => this.#deps.lastRotation.needsCheck(s, verdicts)).slice(0, Math.max(0, maxChecks));
    await this.#checkLastRotations(toCheck, verdicts, signal);
    return { rows: kept.map((s) => toIndexRow(s, this.#deps.tagKeys, now, generation, verdicts.get(s.arn) ?? null)), checked: toCheck.length };
  }

  /**
   * Reads the missing verdicts of a page's secrets into `verdicts`, a few at once; one that cannot be
   * read waits for the next pass (the row says unknown). Once the crawl is stopped no more are read.
   */
  async #checkLastRotations(secrets: SecretRecord[], verdicts: Map<string, LastRotationEvidence>, signal: AbortSignal): Promise<void> {
    await eachBounded(secrets, CHECKS_AT_ONCE, async (secret) => {
      if (signal.aborted) return;
      const verdict = await this.#deps.lastRotation.check(secret).catch((error: unknown) => {
        this.#deps.logger.warn(
          { arn: secret.arn, error: error instanceof Error ? error.message : String(error) },
          'reading the last rotation\u2019s verdict failed; the next pass tries again',
        );
        return null;
      });
      if (verdict) verdicts.set(secret.arn, verdict);
    });
  }

  /** One ListSecrets page in the current target, tried again on throttling and 5xx with bounded exponential backoff and jitter (per target: one throttled target slows no other). */
  async #fetchPage(token: string | null, result: { retries: number }, signal: AbortSignal): Promise<ListedPage> {
    for (let attempt = 1; ; attempt++) {
      try {
        const page = await this.#deps.source.listPage(token, {
          maxResults: this.#deps.pageSize ?? LIST_PAGE_SIZE,
          timeoutMs: CRAWL_PAGE_TIMEOUT_MS,
          abortSignal: signal,
        });
        // The SDK's own retries count too.
        result.retries += page.attempts - 1;
        return page;
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.#retry.maxAttempts || signal.aborted) throw error;
        result.retries++;
        await sleep(backoffDelay(attempt, this.#retry), signal);
      }
    }
  }

  #refreshWorkflowSubject(workflowId: string, options: { unlessUnderWay?: boolean } = {}): void {
    if (this.#stopped) return;
    const task = (async () => {
      const row = await this.#deps.db.selectFrom('workflows').select('subject').where('id', '=', workflowId).executeTakeFirst();
      // Only secrets are indexed: a workflow on a Lambda function (the Functions page's update) changes no row.
      if (row && !isLambdaArn(row.subject)) await this.#refreshCoalesced(row.subject, options.unlessUnderWay ?? false);
    })().catch((error: unknown) => {
      this.#deps.logger.warn(
        { workflowId, error: error instanceof Error ? error.message : String(error) },
        'index refresh after a workflow event failed; the next pass catches up',
      );
    });
    this.#refreshes.add(task);
    void task.finally(() => this.#refreshes.delete(task));
  }

  /** Several events for one secret in a row make one refresh, plus one more if any came in during it. */
  async #refreshCoalesced(secretId: string, unlessUnderWay = false): Promise<void> {
    if (this.#refreshing.has(secretId)) {
      if (!unlessUnderWay) this.#refreshing.set(secretId, true);
      return;
    }
    this.#refreshing.set(secretId, false);
    try {
      do {
        this.#refreshing.set(secretId, false);
        await this.refreshSecret(secretId);
      } while (this.#refreshing.get(secretId) && !this.#stopped);
    } finally {
      this.#refreshing.delete(secretId);
    }
  }
}
