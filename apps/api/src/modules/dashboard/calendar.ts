import { intervalDays, nextWindows, type ScheduleRules } from '@rotation-console/rotation';
import { rulesOf, type IndexRow } from './index-row.ts';

const DAY_MS = 86_400_000;
const FOUR_HOURS_MS = 4 * 3_600_000;
const RATE_DAYS = /^rate\(\s*\d+\s+days?\s*\)$/i;

export interface CalendarWindow {
  start: Date;
  end: Date;
  name: string;
  arn: string;
  team: string | null;
}

/** Schedules counted in days restart from the last rotation; hours and cron() follow the clock. */
const countsDaysFromLastRotation = (rules: ScheduleRules) =>
  rules.ScheduleExpression ? RATE_DAYS.test(rules.ScheduleExpression) : Boolean(rules.AutomaticallyAfterDays);

/**
 * A secret's rotation windows that start in [from, to), from packages/rotation nextWindows:
 * for a schedule in days, counted from the last rotation (or back from the next rotation date
 * when none is recorded) as Secrets Manager does; for hours and cron(), from `from`.
 */
export const secretWindows = (row: IndexRow, from: Date, to: Date, max: number): CalendarWindow[] => {
  const rules = rulesOf(row);
  const fromMs = from.getTime();
  const toMs = to.getTime();
  let anchor = fromMs - 1;
  // Secrets Manager rotates at most every four hours: no more windows than that fit.
  let count = Math.min(max, Math.ceil((toMs - fromMs) / FOUR_HOURS_MS) + 1);
  if (countsDaysFromLastRotation(rules)) {
    const days = intervalDays(rules);
    if (!days) return [];
    const step = days * DAY_MS;
    const last = row.last_rotated_at ? Date.parse(row.last_rotated_at) : row.next_rotation_at ? Date.parse(row.next_rotation_at) - step : fromMs - step;
    // Whole intervals forward keep the windows on the same days as counted from the last rotation.
    const skip = Math.max(Math.floor((fromMs - last) / step) - 1, 0);
    anchor = last + skip * step;
    count = Math.min(max, Math.ceil((toMs - anchor) / step) + 1);
  }
  if (count < 1) return [];
  return nextWindows(rules, new Date(anchor), count)
    .filter((w) => w.start.getTime() >= fromMs && w.start.getTime() < toMs)
    .map((w) => ({ ...w, name: row.name, arn: row.arn, team: row.team }));
};

/** Keeps the earliest `max` windows of many secrets without holding them all. */
export class EarliestWindows {
  readonly #max: number;
  #items: CalendarWindow[] = [];
  total = 0;

  constructor(max: number) {
    this.#max = max;
  }

  add(windows: CalendarWindow[]): void {
    this.total += windows.length;
    this.#items.push(...windows);
    if (this.#items.length > this.#max * 2) this.#trim();
  }

  result(): { windows: CalendarWindow[]; truncated: boolean } {
    this.#trim();
    return { windows: this.#items, truncated: this.total > this.#max };
  }

  #trim() {
    this.#items.sort((a, b) => a.start.getTime() - b.start.getTime() || a.name.localeCompare(b.name));
    if (this.#items.length > this.#max) this.#items.length = this.#max;
  }
}
