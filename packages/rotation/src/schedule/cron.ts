/**
 * cron() expressions: the EventBridge grammar, a matcher that finds real fire times in UTC,
 * and the extra restrictions Secrets Manager puts on rotation schedules.
 *
 * Sources:
 * - EventBridge "Cron expressions reference": six fields (minutes hours day-of-month month
 *   day-of-week year); values 0-59, 0-23, 1-31, 1-12 or JAN-DEC, 1-7 or SUN-SAT, 1970-2199;
 *   wildcards , - * / in every field, ? L W in day-of-month, ? L # in day-of-week;
 *   "3W specifies the weekday closest to the third day of the month"; "3#2 is the second
 *   Tuesday"; "If you use the '#' character, you can define only one expression in the
 *   day-of-week field"; "You can't specify the Day-of-month and Day-of-week fields in the
 *   same cron expression. If you specify a value or a * in one of the fields, you must use
 *   a ? in the other."
 * - Secrets Manager user guide, "Rotation schedules" > "Cron expression requirements in
 *   Secrets Manager": minutes "Must be 0" (rotation windows start on the hour); hours 0-23
 *   with "/" for increments ("2/10 means every 10 hours beginning at 2:00 AM", "/8" in the
 *   examples means every eight hours from midnight), and "A cron expression that includes
 *   increments of hours resets each day"; day-of-month , - * ? / L and "DAYL ... for example
 *   SUNL means the last Sunday of the month"; month , - * /; day-of-week # , - * ? / L;
 *   year "Must be *, because Secrets Manager does not support rotation schedules that are
 *   more than a year apart"; "You can rotate a secret as often as every four hours".
 *
 * The parser accepts the whole EventBridge grammar (so windows can be computed for any
 * expression AWS holds); `secretsManagerFieldErrors` then applies Secrets Manager's table.
 * Where the two pages differ or are silent we are strict, and say so at the check.
 */

import { cronWeekday, daysInMonth, DAY_MS, HOUR_MS, utcMidnight } from './time.ts';

export const FIELD_NAMES = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'] as const;

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

interface FieldDef {
  label: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTES: FieldDef = { label: 'Minutes', min: 0, max: 59 };
const HOURS: FieldDef = { label: 'Hours', min: 0, max: 23 };
const DOM: FieldDef = { label: 'Day-of-month', min: 1, max: 31 };
const MONTH: FieldDef = { label: 'Month', min: 1, max: 12, names: MONTHS };
const DOW: FieldDef = { label: 'Day-of-week', min: 1, max: 7, names: DAYS };
const YEAR: FieldDef = { label: 'Year', min: 1970, max: 2199 };

export interface DayOfMonthSpec {
  days: ReadonlySet<number>;
  /** L: the last day of the month. */
  last: boolean;
  /** nW: the weekday nearest day n, within the month. */
  nearestWeekday: readonly number[];
}

export interface DayOfWeekSpec {
  /** 1 = SUN ... 7 = SAT. */
  days: ReadonlySet<number>;
  /** d#k: the k-th such weekday of the month. */
  nth: readonly { day: number; k: number }[];
  /** dL: the last such weekday of the month. */
  lastOfMonth: readonly number[];
}

export interface CronSpec {
  minutes: readonly number[];
  hours: readonly number[];
  /** null for ? */
  dayOfMonth: DayOfMonthSpec | null;
  months: ReadonlySet<number>;
  /** null for ? */
  dayOfWeek: DayOfWeekSpec | null;
  years: ReadonlySet<number> | 'any';
}

export type ParsedCron = { ok: true; spec: CronSpec; fields: readonly string[] } | { ok: false; errors: string[] };

const CRON_SHAPE = /^cron\((.*)\)$/;

/** Splits cron(...) into its fields, strictly: one space between fields (the docs show no other separator). */
export const splitCron = (expression: string): { ok: true; fields: string[] } | { ok: false; error: string } => {
  const body = CRON_SHAPE.exec(expression)?.[1];
  if (body === undefined) return { ok: false, error: `A cron expression looks like cron(0 4 ? * SUN *); found ${expression}` };
  const fields = body.trim() === '' ? [] : body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return { ok: false, error: `cron() needs 6 fields (minutes hours day-of-month month day-of-week year); found ${fields.length}` };
  }
  if (body !== fields.join(' ')) {
    return { ok: false, error: `Separate the cron fields with single spaces: cron(${fields.join(' ')})` };
  }
  return { ok: true, fields };
};

/** Parses cron(...) with the EventBridge grammar. */
export const parseCron = (expression: string): ParsedCron => {
  const split = splitCron(expression);
  if (!split.ok) return { ok: false, errors: [split.error] };
  return parseCronFields(split.fields);
};

export const parseCronFields = (fields: readonly string[]): ParsedCron => {
  const [minutesRaw = '', hoursRaw = '', domRaw = '', monthRaw = '', dowRaw = '', yearRaw = ''] = fields;
  const errors: string[] = [];
  const collect = <T>(r: Result<T>): T | undefined => {
    if (r.ok) return r.value;
    errors.push(...r.errors);
    return undefined;
  };

  const minutes = collect(plainField(minutesRaw, MINUTES));
  const hours = collect(plainField(hoursRaw, HOURS));
  const dayOfMonth = collect(dayOfMonthField(domRaw));
  const months = collect(plainField(monthRaw, MONTH));
  const dayOfWeek = collect(dayOfWeekField(dowRaw));
  const years = yearRaw === '*' ? ('any' as const) : collect(plainField(yearRaw, YEAR));

  if (domRaw === '?' && dowRaw === '?') errors.push('Use ? in day-of-month or day-of-week, not both');
  if (domRaw !== '?' && dowRaw !== '?') {
    errors.push(
      `Use ? in day-of-month or day-of-week: a schedule can't set both (found ${domRaw} and ${dowRaw}); for example cron(0 4 ? * SUN *) or cron(0 4 1 * ? *)`,
    );
  }

  if (errors.length || !minutes || !hours || dayOfMonth === undefined || !months || dayOfWeek === undefined || years === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    fields,
    spec: { minutes: [...minutes].sort((a, b) => a - b), hours: [...hours].sort((a, b) => a - b), dayOfMonth, months, dayOfWeek, years },
  };
};

type Result<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const fail = <T>(error: string): Result<T> => ({ ok: false, errors: [error] });

const rangeText = (def: FieldDef) => (def.names ? `${def.min}-${def.max} or ${def.names[0]}-${def.names[def.names.length - 1]}` : `${def.min}-${def.max}`);

const value = (token: string, def: FieldDef): Result<number> => {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    if (n < def.min || n > def.max) return fail(`${def.label}: ${token} is outside ${rangeText(def)}`);
    return { ok: true, value: n };
  }
  if (def.names) {
    const i = def.names.indexOf(token);
    if (i >= 0) return { ok: true, value: i + 1 };
    // Strict: the docs write names in capitals only.
    if (def.names.includes(token.toUpperCase())) return fail(`${def.label}: write ${token} in capitals, ${token.toUpperCase()}`);
  }
  return fail(`${def.label}: "${token}" is not a value (${rangeText(def)})`);
};

/** a, a-b, *, and increments a/n, a-b/n, * /n (and /n, from the field's first value). */
const plainItem = (item: string, def: FieldDef): Result<number[]> => {
  if (item === '*') return { ok: true, value: span(def.min, def.max, 1) };
  if (item === '?') return fail(`${def.label}: ? only goes in day-of-month or day-of-week`);
  const slash = item.split('/');
  if (slash.length > 2) return fail(`${def.label}: "${item}" has more than one /`);
  const [base = '', stepText] = slash;
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) return fail(`${def.label}: the increment in "${item}" must be a whole number of 1 or more`);
    step = Number(stepText);
  }
  let from: number;
  let to: number;
  if (base === '' || base === '*') {
    if (base === '' && stepText === undefined) return fail(`${def.label}: empty value`);
    from = def.min;
    to = def.max;
  } else if (base.includes('-')) {
    const parts = base.split('-');
    if (parts.length !== 2) return fail(`${def.label}: "${base}" is not a range like 1-5`);
    const a = value(parts[0] ?? '', def);
    const b = value(parts[1] ?? '', def);
    if (!a.ok || !b.ok) return { ok: false, errors: [...(a.ok ? [] : a.errors), ...(b.ok ? [] : b.errors)] };
    // Strict: EventBridge does not document ranges that wrap around (like FRI-MON).
    if (a.value > b.value) return fail(`${def.label}: the range ${base} runs backwards; write the smaller value first`);
    from = a.value;
    to = b.value;
  } else {
    const a = value(base, def);
    if (!a.ok) return a;
    from = a.value;
    to = stepText === undefined ? a.value : def.max;
  }
  return { ok: true, value: span(from, to, step) };
};

const span = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
};

const items = (raw: string, def: FieldDef): Result<string[]> => {
  if (raw === '') return fail(`${def.label} is empty`);
  const list = raw.split(',');
  if (list.some((i) => i === '')) return fail(`${def.label}: "${raw}" has an empty item in its list`);
  return { ok: true, value: list };
};

const plainField = (raw: string, def: FieldDef): Result<Set<number>> => {
  const list = items(raw, def);
  if (!list.ok) return list;
  const out = new Set<number>();
  const errors: string[] = [];
  for (const item of list.value) {
    const r = plainItem(item, def);
    if (r.ok) r.value.forEach((v) => out.add(v));
    else errors.push(...r.errors);
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: out };
};

const dayOfMonthField = (raw: string): Result<DayOfMonthSpec | null> => {
  if (raw === '?') return { ok: true, value: null };
  const list = items(raw, DOM);
  if (!list.ok) return list;
  const days = new Set<number>();
  const nearestWeekday: number[] = [];
  let last = false;
  const errors: string[] = [];
  for (const item of list.value) {
    if (item === 'L') {
      last = true;
      continue;
    }
    const w = /^(\d+)W$/.exec(item);
    if (w?.[1]) {
      const r = value(w[1], DOM);
      if (r.ok) nearestWeekday.push(r.value);
      else errors.push(...r.errors);
      continue;
    }
    if (/[LW#]/.test(item)) {
      errors.push(`Day-of-month: "${item}" is not a form EventBridge documents (L, or nW like 15W)`);
      continue;
    }
    const r = plainItem(item, DOM);
    if (r.ok) r.value.forEach((v) => days.add(v));
    else errors.push(...r.errors);
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: { days, last, nearestWeekday } };
};

const dayOfWeekField = (raw: string): Result<DayOfWeekSpec | null> => {
  if (raw === '?') return { ok: true, value: null };
  const list = items(raw, DOW);
  if (!list.ok) return list;
  if (raw.includes('#') && list.value.length > 1) {
    return fail(`Day-of-week: with # the field takes one expression only, like TUE#3; found ${raw}`);
  }
  const days = new Set<number>();
  const nth: { day: number; k: number }[] = [];
  const lastOfMonth: number[] = [];
  const errors: string[] = [];
  for (const item of list.value) {
    if (item === 'L') {
      days.add(7); // "the last day of the week": Saturday
      continue;
    }
    const hash = /^(.+)#(.*)$/.exec(item);
    if (hash) {
      const d = value(hash[1] ?? '', DOW);
      const k = hash[2] ?? '';
      if (!d.ok) errors.push(...d.errors);
      else if (!/^[1-5]$/.test(k)) errors.push(`Day-of-week: in ${item}, the week of the month after # must be 1 to 5`);
      else nth.push({ day: d.value, k: Number(k) });
      continue;
    }
    const lastOf = /^(.+)L$/.exec(item);
    if (lastOf) {
      const d = value(lastOf[1] ?? '', DOW);
      if (d.ok) lastOfMonth.push(d.value);
      else errors.push(...d.errors);
      continue;
    }
    const r = plainItem(item, DOW);
    if (r.ok) r.value.forEach((v) => days.add(v));
    else errors.push(...r.errors);
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: { days, nth, lastOfMonth } };
};

/**
 * Secrets Manager's own table, field by field, on the raw text. Returns one message per
 * field it refuses (index = field position), so the caller can prefer it to the grammar's.
 */
export const secretsManagerFieldErrors = (fields: readonly string[]): Map<number, string> => {
  const out = new Map<number, string>();
  const [minutes = '', hours = '', dom = '', , , year = ''] = fields;

  if (minutes !== '0') out.set(0, `Minutes must be 0, because Secrets Manager rotation windows start on the hour; found ${minutes}`);

  // The table lists only "/" for hours. Strict: a list, a range or * is refused, though
  // EventBridge would take them; */n is not in the docs either, which write 0/n or /n.
  if (!/^\d{1,2}$/.test(hours) && !/^\d{0,2}\/\d{1,2}$/.test(hours)) {
    const star = /^\*\/(\d+)$/.exec(hours);
    out.set(
      1,
      star
        ? `Hours: write 0/${star[1]} (or /${star[1]}) for every ${star[1]} hours from midnight; Secrets Manager's cron table has no */${star[1]}`
        : `Hours must be one hour like 4, or an increment like 2/10 (every 10 hours from 02:00); Secrets Manager's cron table allows nothing else in hours; found ${hours}`,
    );
  }

  // W is in EventBridge's table but not in Secrets Manager's: strict, refused.
  if (/W/.test(dom)) {
    out.set(2, `Day-of-month: Secrets Manager's cron table has no W (nearest weekday); found ${dom}. Use a day, a range, a list, / or L`);
  } else if (/^(\d|SUN|MON|TUE|WED|THU|FRI|SAT)L$/.test(dom)) {
    // The user guide lists "SUNL" under day-of-month, but EventBridge puts a last named
    // weekday in day-of-week (with ? in day-of-month). Strict: only the form both agree on.
    out.set(2, `Day-of-month: put ${dom} in day-of-week, with ? in day-of-month, like cron(0 0 ? * ${dom} *)`);
  }

  // Only the hours example shows an increment with no start ("/8"); elsewhere strict.
  fields.forEach((f, i) => {
    if (i >= 2 && i <= 4 && /(^|,)\//.test(f) && !out.has(i)) {
      out.set(i, `${DOM_MONTH_DOW[i - 2]}: write the first value before /, like 1/2; found ${f}`);
    }
  });

  if (year !== '*') out.set(5, `Year must be *, because Secrets Manager doesn't support rotation schedules more than a year apart; found ${year}`);
  return out;
};

const DOM_MONTH_DOW = ['Day-of-month', 'Month', 'Day-of-week'] as const;

// --- Matching -------------------------------------------------------------------

const nearestWeekdayIn = (n: number, year: number, month: number, lastDay: number): number | null => {
  // Strict: EventBridge does not say what 31W does in a 30-day month; we say it never fires.
  if (n > lastDay) return null;
  const wd = cronWeekday(year, month, n);
  if (wd === 7) return n === 1 ? 3 : n - 1; // Saturday: the Friday before, or Monday the 3rd
  if (wd === 1) return n === lastDay ? n - 2 : n + 1; // Sunday: the Monday after, or the Friday before
  return n;
};

export const dayMatches = (spec: CronSpec, year: number, month: number, day: number): boolean => {
  if (spec.years !== 'any' && !spec.years.has(year)) return false;
  if (!spec.months.has(month)) return false;
  const lastDay = daysInMonth(year, month);
  if (day > lastDay) return false;
  const dom = spec.dayOfMonth;
  if (dom) {
    return dom.days.has(day) || (dom.last && day === lastDay) || dom.nearestWeekday.some((n) => nearestWeekdayIn(n, year, month, lastDay) === day);
  }
  const dow = spec.dayOfWeek;
  if (!dow) return false;
  const wd = cronWeekday(year, month, day);
  return (
    dow.days.has(wd) || dow.nth.some(({ day: d, k }) => d === wd && Math.ceil(day / 7) === k) || dow.lastOfMonth.some((d) => d === wd && day + 7 > lastDay)
  );
};

const LAST_YEAR = 2199;

/**
 * Fire times (ms since epoch, UTC) strictly after `afterMs`, ascending, up to `untilMs`.
 * Hours in a cron reset each day, as the Secrets Manager user guide says of increments.
 */
export function* fireTimes(spec: CronSpec, afterMs: number, untilMs: number): Generator<number> {
  for (let dayStart = utcMidnight(afterMs); dayStart <= untilMs; dayStart += DAY_MS) {
    const d = new Date(dayStart);
    const year = d.getUTCFullYear();
    if (year > LAST_YEAR) return;
    if (!dayMatches(spec, year, d.getUTCMonth() + 1, d.getUTCDate())) continue;
    for (const h of spec.hours) {
      for (const m of spec.minutes) {
        const t = dayStart + h * HOUR_MS + m * 60_000;
        if (t > afterMs && t <= untilMs) yield t;
      }
    }
  }
}

/** More than one fire time a day: a "schedule in hours" (default window one hour). */
export const isHourly = (spec: CronSpec): boolean => spec.hours.length * spec.minutes.length > 1;

export interface CronAnalysis {
  count: number;
  /** The shortest and the longest time between two fire times, with one pair for each. */
  minGap: { ms: number; from: number; to: number } | null;
  maxGap: { ms: number; from: number; to: number } | null;
}

// The calendar repeats every 28 years between 1901 and 2099, so 2001-2029 shows every
// combination of weekday, month length and leap year, and the wrap from one cycle to the next.
const ANALYSIS_FROM = Date.UTC(2001, 0, 1) - 1;
const ANALYSIS_TO = Date.UTC(2030, 0, 1) - 1;

const analyses = new Map<string, CronAnalysis>();

/** Gaps between consecutive fire times over a whole calendar cycle (cached per expression). */
export const analyzeCron = (spec: CronSpec, key: string): CronAnalysis => {
  const cached = analyses.get(key);
  if (cached) return cached;
  let count = 0;
  let prev: number | null = null;
  let minGap: CronAnalysis['minGap'] = null;
  let maxGap: CronAnalysis['maxGap'] = null;
  for (const t of fireTimes(spec, ANALYSIS_FROM, ANALYSIS_TO)) {
    count += 1;
    if (prev !== null) {
      const ms = t - prev;
      if (!minGap || ms < minGap.ms) minGap = { ms, from: prev, to: t };
      if (!maxGap || ms > maxGap.ms) maxGap = { ms, from: prev, to: t };
    }
    prev = t;
  }
  const result = { count, minGap, maxGap };
  if (analyses.size > 500) analyses.clear();
  analyses.set(key, result);
  return result;
};
