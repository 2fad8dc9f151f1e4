import { fileURLToPath } from 'node:url';

/** The demo teams file `pnpm start` uses: payments at most 90 days between rotations, identity 30, analytics 180. */
export const DEMO_TEAMS_CONFIG = fileURLToPath(new URL('../../../config/teams.json', import.meta.url));
