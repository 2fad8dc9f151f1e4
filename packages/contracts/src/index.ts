export * from './errors.ts';
export * from './health.ts';
export * from './permissions.ts';
export * from './secrets.ts';
export * from './routes.ts';
export * from './openapi.ts';
export * from './rotation.ts';
export * from './dashboard.ts';
