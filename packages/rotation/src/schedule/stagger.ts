import { splitCron } from './cron.ts';
import { parseDuration } from './duration.ts';
import type { ScheduleChoice, ScheduleRequest } from './types.ts';

/**
 * Staggering a batch: many secrets get rotation with one schedule, but not all in the same minute.
 *
 * Secrets Manager starts every rotation window on the hour (a rotation cron's minutes must be 0)
 * and rotates the secret at some time inside the window. So the finest start a batch can give a
 * secret is an hour. The chosen window (the cron's hour H and the Duration D, or to the end of the
 * day when no Duration is set: AWS's default for cron) is cut into D one-hour slots, H..H+D-1; the
 * secrets, in order, are spread evenly over the slots, and each gets the chosen cron with its own
 * hour and a one-hour Duration. Every rotation still falls inside the window the operator chose,
 * and no more than ceil(n / D) databases rotate in the same hour.
 *
 * What cannot be staggered is sent unchanged, with the reason: a schedule in days (AWS opens its
 * windows at midnight UTC and takes no start hour), a rate(), a cron whose hours are an increment
 * (several windows a day), and a one-hour window.
 */

export interface StaggeredSchedule {
  /** The schedule and Duration to send for this secret. */
  request: ScheduleRequest;
  /** Its slot's hour (UTC), when staggered. */
  hour: number | null;
}

export interface StaggerPlan {
  /** One per secret, in the order given. */
  schedules: StaggeredSchedule[];
  /** How the starts are spread, in words, for an AWS operator. */
  description: string;
  /** Slots used (1 when not staggered). */
  slots: number;
}

const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;

const unchanged = (request: ScheduleRequest, count: number, why: string): StaggerPlan => ({
  schedules: Array.from({ length: count }, () => ({ request, hour: null })),
  description: `Not staggered: ${why} Every secret gets the same schedule.`,
  slots: 1,
});

/** The secrets' own schedules for a batch of `count` secrets with one chosen schedule. */
export const staggerSchedules = (request: ScheduleRequest, count: number): StaggerPlan => {
  const { schedule } = request;
  if (schedule.kind === 'days') {
    return unchanged(
      request,
      count,
      'Secrets Manager opens every window of a schedule in days at midnight UTC and takes no start hour; choose a cron() schedule to give each secret its own hour.',
    );
  }
  const expression = schedule.expression;
  if (!expression.startsWith('cron(')) {
    return unchanged(request, count, 'a rate() schedule takes no start hour; choose a cron() schedule to give each secret its own hour.');
  }
  const split = splitCron(expression);
  if (!split.ok) return unchanged(request, count, split.error);
  const [minutes, hours, ...rest] = split.fields;
  if (!/^\d{1,2}$/.test(hours ?? '') || minutes !== '0') {
    return unchanged(request, count, `the cron's hours (${hours}) name more than one window a day; a batch staggers a cron with one start hour.`);
  }
  const start = Number(hours);
  const duration = request.duration ? parseDuration(request.duration) : null;
  // No Duration: for cron() AWS's window closes at the end of the day.
  const windowHours = duration?.ok ? duration.hours : 24 - start;
  const slots = Math.max(1, Math.min(windowHours, 24 - start, count));
  if (slots <= 1) {
    return unchanged(request, count, `the window ${pad(start)}–${pad(start + windowHours)} UTC is one hour long, the shortest Secrets Manager allows.`);
  }
  const schedules = Array.from({ length: count }, (_, i) => {
    const hour = start + Math.floor((i * slots) / count);
    const choice: ScheduleChoice = { kind: 'expression', expression: `cron(${['0', String(hour), ...rest].join(' ')})` };
    return { request: { schedule: choice, duration: '1h' }, hour };
  });
  const perSlot = Math.ceil(count / slots);
  return {
    schedules,
    description:
      `Staggered by hour: Secrets Manager starts rotation windows on the hour, so the window ${pad(start)}–${pad(start + windowHours)} UTC is cut into ` +
      `${slots} one-hour slots and the ${count} secrets are spread evenly over them (at most ${perSlot} a slot). ` +
      `Each secret gets ${expression} with its own hour and a 1h window (Duration), and Secrets Manager rotates it at some time in that hour.`,
    slots,
  };
};

/**
 * Rotate-now batches: the RotateSecret calls spread evenly over `spreadMinutes` (0: all at once,
 * paced only by the quota). Seconds after the batch starts, one per secret in order.
 */
export const spreadOffsets = (count: number, spreadMinutes: number): number[] =>
  Array.from({ length: count }, (_, i) => (count <= 1 || spreadMinutes <= 0 ? 0 : Math.round(((i * spreadMinutes * 60) / count) * 10) / 10));
