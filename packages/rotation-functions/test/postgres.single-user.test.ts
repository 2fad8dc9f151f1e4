import { postgresHarness } from './support/databases.ts';
import { singleUserSuite } from './support/single-user-suite.ts';

singleUserSuite(postgresHarness);
