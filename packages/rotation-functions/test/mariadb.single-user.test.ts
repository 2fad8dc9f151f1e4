import { mariadbHarness } from './support/databases.ts';
import { singleUserSuite } from './support/single-user-suite.ts';

singleUserSuite(mariadbHarness);
