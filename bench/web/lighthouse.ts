// Lighthouse 12.2.3, desktop preset, against Debian's Chromium through chrome-launcher (which
// lighthouse brings; resolved from lighthouse's own folder, since the bench does not depend on it).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import lighthouse, { desktopConfig } from 'lighthouse';

/** The part of chrome-launcher used here. */
interface ChromeLauncher {
  launch(options: { chromePath: string; chromeFlags: string[]; logLevel?: 'silent' | 'error' | 'info' }): Promise<{ port: number; kill(): void }>;
}

const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const loadLauncher = async (): Promise<ChromeLauncher> => {
  const fromLighthouse = createRequire(createRequire(import.meta.url).resolve('lighthouse'));
  return (await import(pathToFileURL(fromLighthouse.resolve('chrome-launcher')).href)) as ChromeLauncher;
};

export interface PageMetrics {
  lcpMs: number;
  tbtMs: number;
  cls: number;
  fcpMs: number;
  /** What the page really transferred, JavaScript and all, as Lighthouse counted it (bytes, as sent). */
  scriptBytes: number;
  totalBytes: number;
}

/** One Lighthouse run on a fresh Chromium; a run that yields no metrics (a busy machine) is tried again, twice at most. */
export const runLighthouse = async (url: string, attempts = 3): Promise<PageMetrics> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runOnce(url);
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.warn(`Lighthouse run failed, trying again: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
};

const runOnce = async (url: string): Promise<PageMetrics> => {
  const { launch } = await loadLauncher();
  const chrome = await launch({ chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', chromeFlags: CHROME_FLAGS, logLevel: 'silent' });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] }, desktopConfig);
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { audits } = result.lhr;
    if (result.lhr.runtimeError) throw new Error(`Lighthouse: ${result.lhr.runtimeError.message}`);
    const value = (id: string) => {
      const numeric = audits[id]?.numericValue;
      if (typeof numeric !== 'number') throw new Error(`Lighthouse audit ${id} has no value for ${url}: ${audits[id]?.errorMessage ?? 'no message'}`);
      return numeric;
    };
    const summary = (audits['resource-summary']?.details as { items?: { resourceType: string; transferSize: number }[] } | undefined)?.items ?? [];
    const transfer = (type: string) => summary.find((item) => item.resourceType === type)?.transferSize ?? 0;
    if (process.env.BENCH_DEBUG) {
      const items = (id: string) => ((audits[id]?.details as { items?: Record<string, unknown>[] } | undefined)?.items ?? []).slice(0, 12);
      console.log(`--- ${url}`);
      console.log('long tasks', JSON.stringify(items('long-tasks').map((t) => [t.url, Math.round(Number(t.startTime)), Math.round(Number(t.duration))])));
      console.log(
        'bootup',
        JSON.stringify(
          items('bootup-time').map((t) => [t.url, Math.round(Number(t.total)), Math.round(Number(t.scripting)), Math.round(Number(t.scriptParseCompile))]),
        ),
      );
      console.log(
        'layout shifts',
        JSON.stringify(items('layout-shifts').map((t) => [(t.node as { snippet?: string } | undefined)?.snippet?.slice(0, 160), t.score])),
      );
      console.log('main thread', JSON.stringify(items('mainthread-work-breakdown').map((t) => [t.groupLabel, Math.round(Number(t.duration))])));
    }
    return {
      lcpMs: value('largest-contentful-paint'),
      tbtMs: value('total-blocking-time'),
      cls: value('cumulative-layout-shift'),
      fcpMs: value('first-contentful-paint'),
      scriptBytes: transfer('script'),
      totalBytes: transfer('total'),
    };
  } finally {
    chrome.kill();
  }
};

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
