import type { EngineFamily } from '../secret.ts';
import { mysqlDriver } from './mysql.ts';
import { postgresDriver } from './postgres.ts';
import type { DbDriver } from './types.ts';

export type { DbDriver, DbSession, LoginResult, PrivilegeAnswer } from './types.ts';

export const DRIVERS: Readonly<Record<EngineFamily, DbDriver>> = {
  postgres: postgresDriver,
  mysql: mysqlDriver,
};
