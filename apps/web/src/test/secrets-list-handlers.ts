import type { SecretPage } from '@rotation-console/contracts';
import { http, HttpResponse } from 'msw';
import { server } from './server.ts';

/** Serves GET /api/v1/secrets (the Secrets list) with `respond` and records every request's URL. */
export const serveSecrets = (respond: (url: URL) => SecretPage | Response | Promise<Response>) => {
  const requests: URL[] = [];
  server.use(
    http.get('/api/v1/secrets', async ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      const answer = await respond(url);
      return answer instanceof Response ? answer : HttpResponse.json(answer);
    }),
  );
  return requests;
};

/** Serves POST /api/v1/secret-refreshes (the Secrets list's Refresh) with `respond` and records every request's body. */
export const serveSecretRefreshes = (respond: (body: Record<string, unknown>) => SecretPage | Response) => {
  const bodies: Record<string, unknown>[] = [];
  server.use(
    http.post('/api/v1/secret-refreshes', async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      const answer = respond(body);
      return answer instanceof Response ? answer : HttpResponse.json(answer);
    }),
  );
  return bodies;
};
