export * from './status.ts';
export * from './secret-format.ts';
export * from './plan.ts';
export * from './diagnosis.ts';
export * from './schedule/index.ts';
export * from './rotation-log.ts';
export * from './verdict.ts';
