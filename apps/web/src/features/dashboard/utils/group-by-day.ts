/** A UTC day's key, `2026-12-01`, from an ISO date. */
export const utcDayKey = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

const dayFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });

/** `2026-12-01` → "Tuesday, December 1, 2026" (the day in UTC, as the console's dates are). */
export const formatDayHeading = (dayKey: string): string => dayFormat.format(new Date(`${dayKey}T00:00:00.000Z`));

export interface DayGroup<T> {
  day: string;
  items: T[];
}

/** Items grouped by the UTC day they start on, days in order and items by start time within a day. */
export const groupByDay = <T extends { start: string }>(items: readonly T[]): DayGroup<T>[] => {
  const sorted = [...items].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const groups: DayGroup<T>[] = [];
  for (const item of sorted) {
    const day = utcDayKey(item.start);
    const last = groups.at(-1);
    if (last?.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
};
