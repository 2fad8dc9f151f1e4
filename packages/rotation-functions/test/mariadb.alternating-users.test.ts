import { mariadbHarness } from './support/databases.ts';
import { alternatingUsersSuite } from './support/alternating-users-suite.ts';

alternatingUsersSuite(mariadbHarness);
