export * from './status.ts';
export * from './secret-format.ts';
export * from './plan.ts';
export * from './artifact-bucket.ts';
export * from './diagnosis.ts';
export * from './schedule/index.ts';
export * from './master-grants.ts';
export * from './shell.ts';
