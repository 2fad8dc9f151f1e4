import type { RotationWindow } from '@rotation-console/contracts';
import { EMPTY_VALUE, formatWindow } from '../../../lib/format-date.ts';

/** The browser's own time zone, e.g. "Europe/Berlin". */
const browserTimeZone = () => new Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * A window in the browser's time zone, worded as the UTC one: "Your time: December 1, 2026, 05:00 to
 * 08:00 (Europe/Berlin)". Null where it would read as the UTC line above it (a zone at UTC's offset).
 */
export const formatWindowLocal = (window: RotationWindow, timeZone = browserTimeZone()): string | null => {
  const local = formatWindow(window, timeZone);
  if (local === EMPTY_VALUE || local.replace(` (${timeZone})`, '') === formatWindow(window).replace(' (UTC)', '')) return null;
  return `Your time: ${local}`;
};

/** How long a step took: "850 ms", "12 s", "3 min 5 s". */
export const formatElapsed = (startedAt: string | null, finishedAt: string | null): string => {
  if (!startedAt || !finishedAt) return EMPTY_VALUE;
  const ms = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) return EMPTY_VALUE;
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
};

/**
 * A workflow's subject (the secret's ARN) as a name to show: `arn:aws:secretsmanager:…:secret:prod/db-AbCdEf`
 * → "prod/db" (Secrets Manager appends a dash and six characters). Anything else is shown as it is.
 */
export const secretNameFromSubject = (subject: string): string => {
  const match = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)$/.exec(subject);
  if (!match?.[1]) return subject;
  return match[1].replace(/-[A-Za-z0-9]{6}$/, '') || match[1];
};
