import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { aMe, signedInAs } from './identity-fixtures.ts';
import { aPortal } from './portal-fixtures.ts';
import { aNotFoundNetwork, aPreflightReport, aSchedulePreview } from './rotation-fixtures.ts';

/**
 * What the rotation wizard asks for as soon as it opens, so a test that only navigates to it (the
 * Secret page's "Edit rotation") runs without unhandled requests. Tests of the wizard replace these
 * with `rotationApi()` (src/test/rotation-handlers.ts).
 */
const wizardOnOpen = [
  http.get('/api/v1/secrets/:secretId/network', () => HttpResponse.json(aNotFoundNetwork())),
  http.post('/api/v1/schedule-previews', () => HttpResponse.json(aSchedulePreview())),
  // The secret's team's defaults and limit: none unless a test says so (src/test/portal-fixtures.ts).
  http.get('/api/v1/portal', () => HttpResponse.json(aPortal([]))),
];

/** The portal's Alerts section: no channel and no delivery unless a test says so (features/portal/components/team-alerts.test.tsx). */
const portalAlerts = [
  http.get('/api/v1/teams/:team/alert-channels', () => HttpResponse.json({ items: [] })),
  http.get('/api/v1/teams/:team/alert-deliveries', () => HttpResponse.json({ items: [] })),
];

/** What the Secret page asks by itself after a failed rotation ("Check rotation"): every check passes unless a test says otherwise. */
const checkRotationAfterFailure = http.post('/api/v1/secrets/:secretId/preflight', () => HttpResponse.json(aPreflightReport()));

/** The portal's "Freeze windows": none unless a test says so (src/features/portal/components/freeze-windows.test.tsx). */
const noFreezeWindows = http.get('/api/v1/teams/:team/freeze-windows', ({ params }) => HttpResponse.json({ team: params.team, items: [], canEdit: true }));

/** The CSRF token every POST of the api-client asks for first; null as in AUTH_MODE=local. */
const csrfToken = http.get('/api/v1/csrf-token', () => HttpResponse.json({ token: null, header: 'x-csrf-token' }));

/** The one msw server of the test run; each test adds its handlers with `server.use(...)`. Every page asks who is signed in: the local admin, unless a test says `server.use(signedInAs(...))`. */
export const server = setupServer(signedInAs(aMe()), csrfToken, checkRotationAfterFailure, noFreezeWindows, ...wizardOnOpen, ...portalAlerts);

/**
 * Adds a page's API (dashboardApi(), secretPageApi(): its handlers and what they record) to the
 * server for this test, and returns what it records.
 */
export const serveApi = <Calls>({ handlers, calls }: { handlers: HttpHandler[]; calls: Calls }): Calls => {
  server.use(...handlers);
  return calls;
};
