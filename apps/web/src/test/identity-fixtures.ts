import type { Me } from '@rotation-console/contracts';
import { http, HttpResponse } from 'msw';

/** Who GET /api/v1/me says the test runs as; the default is the local admin of AUTH_MODE=local. */
export const aMe = (overrides: Partial<Me> = {}): Me => ({
  id: 'local',
  name: 'Local admin',
  roles: ['admin'],
  teams: [],
  authMode: 'local',
  via: 'local',
  ...overrides,
});

/** The demo provider's people, as the API describes them once signed in. */
export const demoPeople = {
  alice: aMe({ id: 'alice', name: 'Alice Admin', roles: ['admin'], authMode: 'oidc', via: 'session' }),
  pat: aMe({ id: 'pat', name: 'Pat Payments', roles: ['operator'], teams: ['payments'], authMode: 'oidc', via: 'session' }),
  vic: aMe({ id: 'vic', name: 'Vic Viewer', roles: ['viewer'], authMode: 'oidc', via: 'session' }),
  nora: aMe({ id: 'nora', name: 'Nora No-team', roles: ['operator'], authMode: 'oidc', via: 'session' }),
} satisfies Record<string, Me>;

/** A handler answering GET /api/v1/me with `me`. */
export const signedInAs = (me: Me) => http.get('/api/v1/me', () => HttpResponse.json(me));
