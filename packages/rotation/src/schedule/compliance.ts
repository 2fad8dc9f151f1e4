import { num } from './time.ts';
import type { ComplianceAdviceInput } from './types.ts';

/**
 * The seed page's advice on compliance ("Enabling rotation for an Amazon RDS database
 * secret", step "Select rotation interval"), for the interval the operator chose:
 * - "If rotating your secret to meet compliance requirements, then we recommend you set this
 *   value to at least 1 day less than the compliance-mandated interval." (The service picks
 *   the hour within the scheduled day at random.)
 * - With the alternating-users function (the "master secret" option, Multi-user rotation):
 *   "set your rotation period to one-half of your compliance-specified minimum interval.
 *   Secrets Manager keeps the old credentials available ... for one additional rotation cycle."
 * - "If you modify the rotation function to immediately invalidate the old credentials ...
 *   you can extend the rotation interval to your full compliance-mandated minimum", at the
 *   cost of the AWSPREVIOUS fallback.
 *
 * `days` is the chosen rotation interval (fractional for schedules in hours, as intervalDays
 * gives). No strategy: single-user advice, plus one line on Multi-user rotation.
 */
export const complianceAdvice = ({ days, strategy }: ComplianceAdviceInput): string[] => {
  const valid = typeof days === 'number' && Number.isFinite(days) && days > 0;
  if (strategy === 'alternating-users') return valid ? alternating(days) : [ALTERNATING_RULE, FULL_INTERVAL_RULE];
  const advice = valid ? singleUser(days) : [SINGLE_RULE];
  if (strategy === undefined) advice.push(ALTERNATING_RULE);
  return advice;
};

const SINGLE_RULE =
  'If you rotate to meet a compliance requirement, set the rotation interval at least 1 day shorter than the compliance-mandated interval: Secrets Manager picks the hour within the scheduled day.';
const ALTERNATING_RULE =
  'With Multi-user rotation, set the rotation interval to half the compliance-mandated interval: the old password stays valid for one more rotation cycle, as AWSPREVIOUS.';
const FULL_INTERVAL_RULE =
  'To use the full compliance interval instead, the rotation function must invalidate the old password as soon as the new one is active; you then lose AWSPREVIOUS as a quick way back.';

const days_ = (n: number) => (n === 1 ? '1 day' : `${num(n)} days`);
const hours_ = (n: number) => (n === 1 ? '1 hour' : `${num(n)} hours`);
/** "every 30 days", "every day", "every 6 hours" */
const everyText = (days: number) => (days < 1 ? `every ${hours_(days * 24)}` : days === 1 ? 'every day' : `every ${days_(days)}`);

const singleUser = (days: number): string[] => {
  if (days < 1) {
    return [`Rotating ${everyText(days)} meets any compliance interval of 1 day or more.`];
  }
  const n = Math.ceil(days);
  return [
    `Rotating ${everyText(days)} meets compliance intervals of ${n + 1} days or more.`,
    n === 1
      ? 'For a 1-day compliance interval, rotate on a schedule in hours, like rate(12 hours): a schedule in days can rotate up to a day late within its window.'
      : `For a ${n}-day compliance interval, rotate at least every ${days_(n - 1)}.`,
    'That day of margin is there because Secrets Manager rotates at a random hour of the scheduled day.',
  ];
};

const alternating = (days: number): string[] => {
  if (days < 1) {
    const hours = days * 24;
    return [
      `With Multi-user rotation the old password stays valid for one more cycle, as AWSPREVIOUS, so each password lasts up to ${hours_(2 * hours)}.`,
      `Rotating ${everyText(days)} meets any compliance interval of 1 day or more.`,
      FULL_INTERVAL_RULE,
    ];
  }
  const n = Math.ceil(days);
  const half = Math.floor(n / 2);
  return [
    `With Multi-user rotation the old password stays valid for one more cycle, as AWSPREVIOUS, so each password lasts up to ${days_(2 * n)}.`,
    `Rotating ${everyText(days)} meets compliance intervals of ${days_(2 * n)} or more.`,
    half >= 1
      ? `For a ${n}-day compliance interval, rotate ${half === 1 ? 'every day' : `every ${days_(half)}`}: half the interval.`
      : 'For a 1-day compliance interval, rotate every 11 hours or less, like rate(8 hours): each password must be replaced twice within the day, window included.',
    FULL_INTERVAL_RULE.replace('the full compliance interval', `the full ${n}-day interval`),
  ];
};
