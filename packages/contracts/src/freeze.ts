import { z } from 'zod';

/**
 * Freeze windows: times when the console starts no rotation of a team's secrets (a release
 * freeze, month-end close), and warns where AWS's own schedule would rotate inside one. Every
 * time is UTC, so no window moves with daylight saving time.
 */

/** At most this many windows per team (the teams file's and the portal's together). */
export const MAX_FREEZE_WINDOWS = 50;
/** The most days a monthly window takes from each end of the month. */
export const MAX_MONTH_EDGE_DAYS = 15;

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

const instant = (field: string) =>
  z.iso.datetime({
    offset: true,
    message: `${field} must be an ISO 8601 date and time with its zone, such as 2026-12-18T17:00:00Z or 2026-12-18T18:00:00+01:00`,
  });

/** "HH:MM" in UTC; "24:00" only as an end (the end of the day). */
const utcTime = (field: string, { end }: { end: boolean }) =>
  z
    .string()
    .trim()
    .regex(
      end ? /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/ : /^([01]\d|2[0-3]):[0-5]\d$/,
      `${field} must be a UTC time such as 18:00${end ? ' (24:00 for the end of the day)' : ''}`,
    );

export const FreezeOnce = z
  .strictObject({
    kind: z.literal('once'),
    start: instant('Start'),
    end: instant('End'),
  })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: 'End must be after the start.', path: ['end'] });

export const FreezeWeekly = z
  .strictObject({
    kind: z.literal('weekly'),
    /** The days each occurrence starts on. */
    days: z
      .array(Weekday)
      .min(1, 'Choose at least one day of the week.')
      .max(7)
      .refine((d) => new Set(d).size === d.length, 'Each day may appear once.'),
    /** Start time on each of those days, UTC. */
    from: utcTime('From', { end: false }),
    /** End time, UTC; at or before `from`, it is on the next day (22:00 to 06:00). */
    to: utcTime('To', { end: true }),
  })
  .refine((w) => w.from !== w.to, { message: 'From and To must differ; for whole days use 00:00 to 24:00.', path: ['to'] });

export const FreezeMonthly = z
  .strictObject({
    kind: z.literal('monthly'),
    /** The last N days of every month (0 to 15), from 00:00 UTC. */
    lastDays: z.number().int().min(0).max(MAX_MONTH_EDGE_DAYS, `At most ${MAX_MONTH_EDGE_DAYS} days at the end of the month.`),
    /** And the first M days of the next month (0 to 15), until 24:00 UTC of day M. */
    firstDays: z.number().int().min(0).max(MAX_MONTH_EDGE_DAYS, `At most ${MAX_MONTH_EDGE_DAYS} days at the start of the month.`),
  })
  .refine((w) => w.lastDays + w.firstDays > 0, { message: 'Choose at least one day at the end or the start of the month.', path: ['lastDays'] });

/** When a window is closed for rotation: once, every week, or every month. */
export const FreezeWhen = z.discriminatedUnion('kind', [FreezeOnce, FreezeWeekly, FreezeMonthly]).meta({ id: 'FreezeWhen' });
export type FreezeWhen = z.infer<typeof FreezeWhen>;

/** A window as the teams file and the portal's form write it. */
export const NewFreezeWindow = z
  .strictObject({
    name: z.string().trim().min(1, 'Enter a name.').max(100, 'The name must be at most 100 characters.'),
    reason: z.string().trim().max(500, 'The reason must be at most 500 characters.').optional(),
    when: FreezeWhen,
  })
  .meta({ id: 'NewFreezeWindow' });
export type NewFreezeWindow = z.infer<typeof NewFreezeWindow>;

/** One occurrence of a window: [start, end). */
export const FreezeSpan = z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) });
export type FreezeSpan = z.infer<typeof FreezeSpan>;

export const FreezeWindow = NewFreezeWindow.extend({
  id: z.string(),
  team: z.string(),
  /** 'teams-file': from the teams file, read-only on the portal; 'portal': added on the portal. */
  source: z.enum(['teams-file', 'portal']),
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }).nullable(),
  /** The occurrence open now, if any. */
  openNow: FreezeSpan.nullable(),
  /** The next occurrence that starts after now, if any (none for a one-off that has passed). */
  next: FreezeSpan.nullable(),
}).meta({ id: 'FreezeWindow' });
export type FreezeWindow = z.infer<typeof FreezeWindow>;

export const FreezeWindowList = z
  .object({
    team: z.string(),
    items: z.array(FreezeWindow),
    /** Whether the caller may add and remove the team's windows. */
    canEdit: z.boolean(),
  })
  .meta({ id: 'FreezeWindowList' });
export type FreezeWindowList = z.infer<typeof FreezeWindowList>;

export const FreezeTeamParams = z.strictObject({ team: z.string().trim().min(1).max(256) });
export const FreezeWindowParams = z.strictObject({ team: z.string().trim().min(1).max(256), windowId: z.string().trim().min(1).max(64) });

/** An admin's explicit override of an open freeze window, with the reason the audit log keeps. */
export const FreezeOverride = z
  .strictObject({ reason: z.string().trim().min(3, 'Give the reason for overriding the freeze window.').max(500) })
  .meta({ id: 'FreezeOverride' });
export type FreezeOverride = z.infer<typeof FreezeOverride>;

/** A rotation window that falls in a freeze window: "Next rotation falls in the freeze window <name> (<start> – <end>)". */
export const FreezeWarning = z
  .object({
    windowName: z.string(),
    /** The freeze window's occurrence that the rotation window meets. */
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    /** The rotation window that meets it. */
    rotationStart: z.iso.datetime({ offset: true }),
    rotationEnd: z.iso.datetime({ offset: true }),
    message: z.string(),
  })
  .meta({ id: 'FreezeWarning' });
export type FreezeWarning = z.infer<typeof FreezeWarning>;
