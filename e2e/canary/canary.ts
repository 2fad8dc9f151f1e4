import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * The canary: every password the demo seed writes carries one marker string (SEED_SECRET_MARKER),
 * and the whole e2e run fails if that marker shows up where a secret value must never go: a
 * response the browser or a spec received, a page's HTML, a downloaded file, or a log line of
 * the API, moto or the demo provider (and the rotation functions' CloudWatch logs in moto).
 * playwright.config.ts arms it, e2e/fixtures.ts records what the specs see (recorder.ts), and
 * global-teardown.ts reads it all once the specs are done.
 */

/** Where a run keeps the recorders' findings and the processes' logs. */
export const CANARY_ROOT = fileURLToPath(new URL('../canary-results/', import.meta.url));

/**
 * Called from playwright.config.ts, in the runner and again in every worker: the first call
 * (the runner's) picks the marker and the run's folder, and the workers inherit them.
 */
export const armCanary = () => {
  process.env.E2E_CANARY ??= `CANARY-${randomBytes(8).toString('hex')}`;
  // The folder's name is not the marker, or every log line naming a path would "leak" it.
  process.env.E2E_CANARY_DIR ??= path.join(CANARY_ROOT, `run-${Date.now()}-${randomBytes(3).toString('hex')}`);
  return { marker: process.env.E2E_CANARY, dir: process.env.E2E_CANARY_DIR, logDir: path.join(process.env.E2E_CANARY_DIR, 'logs') };
};

/** One place the marker turned up, described without the text around it. */
export interface Sighting {
  /** response, page, download, api-response, log */
  kind: string;
  /** A URL, or a log file and line number. */
  where: string;
  /** JSON paths of the values holding the marker, or a byte offset. */
  at: string;
  /** The test that was running, when one was. */
  test?: string;
}

const jsonPaths = (value: unknown, marker: string, at = '$'): string[] => {
  if (typeof value === 'string') return value.includes(marker) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => jsonPaths(item, marker, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(key.includes(marker) ? [`${at} (a key)`] : []),
      ...jsonPaths(item, marker, `${at}.${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key.slice(0, 40))}`),
    ]);
  }
  return [];
};

/**
 * Where `marker` is in `text`: the JSON paths that hold it when the text is JSON, else the
 * byte offset of its first occurrence; undefined when it is not there. Never the text itself.
 */
export const locate = (text: string, marker: string): string | undefined => {
  const offset = text.indexOf(marker);
  if (offset < 0) return undefined;
  try {
    const paths = jsonPaths(JSON.parse(text), marker);
    if (paths.length > 0) return paths.slice(0, 5).join(', ') + (paths.length > 5 ? ` and ${paths.length - 5} more` : '');
  } catch {
    // Not JSON: the offset says where to look.
  }
  return `offset ${offset}`;
};
