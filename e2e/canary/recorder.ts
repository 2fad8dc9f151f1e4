import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, APIResponse, Browser, BrowserContext, Page, PlaywrightWorkerArgs, Response } from '@playwright/test';
import { locate, type Sighting } from './canary.ts';

/** What one test (or a worker outside any test) saw, as one line of the worker's file. */
export interface CanaryRecord {
  test: string;
  responses: number;
  apiResponses: number;
  pages: number;
  downloads: number;
  /** Responses whose body could not be read (redirects, aborted requests). */
  unreadable: number;
  /** What could not be read within READ_TIMEOUT_MS (never scanned): URLs and pages. */
  timedOut: string[];
  sightings: Sighting[];
}

const API_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'fetch'] as const;

/** A body, page or download not read by then is given up on (and listed), so a test's end never waits on it. */
const READ_TIMEOUT_MS = 10_000;

/**
 * Looks for the marker in everything a worker's browsers and API request contexts receive:
 * every response body (and its URL), every page's HTML at each load and when its test ends,
 * every download. Appends one line per test to `<dir>/worker-<index>.ndjson`; the global
 * teardown reads them.
 */
export class CanaryRecorder {
  private readonly marker: string;
  private readonly file: string;
  private record: CanaryRecord;
  private readonly pending = new Set<Promise<void>>();
  private readonly pages = new Set<Page>();

  constructor(marker: string, dir: string, workerIndex: number) {
    this.marker = marker;
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `worker-${workerIndex}.ndjson`);
    this.record = this.fresh('(worker, outside tests)');
  }

  private fresh(test: string): CanaryRecord {
    return { test, responses: 0, apiResponses: 0, pages: 0, downloads: 0, unreadable: 0, timedOut: [], sightings: [] };
  }

  /** A URL may hold the value itself: never print it. */
  private hide(where: string) {
    return where
      .split(this.marker)
      .map((part, i) => (i === 0 ? part : `[secret value]${part.replace(/^[^&/?#\s]*/, '')}`))
      .join('');
  }

  private look(kind: string, where: string, text: string) {
    const at = locate(text, this.marker);
    if (at) this.record.sightings.push({ kind, where: this.hide(where), at, test: this.record.test });
  }

  /** Runs `work` now and keeps it until the test's end (or READ_TIMEOUT_MS), so nothing is flushed half-read. */
  private track(label: string, work: () => Promise<void>) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.record.timedOut.length < 20) this.record.timedOut.push(this.hide(label));
        resolve();
      }, READ_TIMEOUT_MS);
    });
    const running = Promise.race([work(), timeout]).finally(() => {
      clearTimeout(timer);
      this.pending.delete(running);
    });
    this.pending.add(running);
  }

  private onResponse = (response: Response) => {
    const label = `${response.request().method()} ${response.url()} (${response.status()})`;
    // A server-sent event stream (the index's changes) stays open while its page does: its body never
    // ends, and waiting for it would hold each test to READ_TIMEOUT_MS. It carries times only.
    if ((response.headers()['content-type'] ?? '').startsWith('text/event-stream')) {
      this.look('response URL', label, response.url());
      return;
    }
    this.track(label, async () => {
      this.look('response URL', label, response.url());
      try {
        const body = await response.body();
        this.record.responses++;
        this.look('response', label, body.toString('utf8'));
      } catch {
        this.record.unreadable++;
      }
    });
  };

  private snapshot = (page: Page) =>
    this.track(`page ${page.url()}`, async () => {
      try {
        const html = await page.content();
        this.record.pages++;
        this.look('page', page.url(), html);
      } catch {
        // The page closed or navigated meanwhile: its responses were read anyway.
      }
    });

  private watchPage = (page: Page) => {
    this.pages.add(page);
    page.on('close', () => this.pages.delete(page));
    page.on('load', () => this.snapshot(page));
    page.on('download', (download) =>
      this.track(`download ${download.url()}`, async () => {
        const file = await download.path().catch(() => null);
        if (!file) return;
        this.record.downloads++;
        this.look('download', `${download.url()} (${download.suggestedFilename()})`, readFileSync(file, 'utf8'));
      }),
    );
  };

  watchContext(context: BrowserContext) {
    context.on('response', this.onResponse);
    context.on('page', this.watchPage);
    for (const page of context.pages()) this.watchPage(page);
  }

  /** Every new browser context of this worker is watched (the built-in `context` fixture's too). */
  watchBrowser(browser: Browser) {
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
      const context = await newContext(...args);
      this.watchContext(context);
      return context;
    };
  }

  private async readApiResponse(method: string, response: APIResponse) {
    const label = `${method} ${response.url()} (${response.status()})`;
    this.look('API response URL', label, response.url());
    try {
      this.look('API response', label, (await response.body()).toString('utf8'));
      this.record.apiResponses++;
    } catch {
      this.record.unreadable++;
    }
  }

  /** Every API request context of this worker (`playwright.request.newContext`) is read too. */
  watchApiRequests(request: PlaywrightWorkerArgs['playwright']['request']) {
    const newContext = request.newContext.bind(request);
    request.newContext = async (...args: Parameters<typeof request.newContext>) => {
      const context: APIRequestContext = await newContext(...args);
      for (const method of API_METHODS) {
        const original = context[method].bind(context) as (...a: unknown[]) => Promise<APIResponse>;
        (context as unknown as Record<string, unknown>)[method] = async (...a: unknown[]) => {
          const response = await original(...a);
          await this.readApiResponse(method.toUpperCase(), response);
          return response;
        };
      }
      return context;
    };
  }

  startTest(title: string) {
    this.flush();
    this.record = this.fresh(title);
  }

  /** At a test's end: the open pages' HTML, then everything still being read, then one line. */
  async endTest() {
    for (const page of this.pages) if (!page.isClosed()) this.snapshot(page);
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    this.flush();
    this.record = this.fresh('(worker, outside tests)');
  }

  /** At the worker's end. */
  async close() {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    this.flush();
  }

  flush() {
    const r = this.record;
    if (r.responses + r.apiResponses + r.pages + r.downloads + r.unreadable + r.timedOut.length + r.sightings.length === 0) return;
    appendFileSync(this.file, `${JSON.stringify(r)}\n`);
    this.record = this.fresh(r.test);
  }
}
