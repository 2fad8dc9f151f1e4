export type { ComplianceAdviceInput, ScheduleChoice, ScheduleRequest, ScheduleRules, ScheduleValidation, ScheduleWindow } from './types.ts';
export { validateSchedule } from './validate.ts';
export { intervalDays, nextWindows } from './windows.ts';
export { describeSchedule } from './describe.ts';
export { complianceAdvice } from './compliance.ts';
export { scheduleLimitProblem, type ScheduleLimit } from './limits.ts';
export { staggerSchedules, spreadOffsets, type StaggerPlan, type StaggeredSchedule } from './stagger.ts';
