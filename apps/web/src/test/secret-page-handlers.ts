import type { OperationPreview, SecretDetail, SecretTimeline } from '@rotation-console/contracts';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { anOperationPreview, aTimeline } from './dashboard-fixtures.ts';
import { respond, type Answer } from './dashboard-handlers.ts';
import { aStuckSecretDetail } from './fixtures.ts';
import { aWorkflow } from './rotation-fixtures.ts';
import { serveApi } from './server.ts';

export interface SecretPageApi {
  secret?: Answer<SecretDetail>;
  timeline?: Answer<SecretTimeline>;
  preview?: Answer<OperationPreview>;
  operation?: Answer<{ id: string; status: 'pending'; location: string }>;
}

/** What the Secret page sent, in order, for tests to assert on. */
export interface SecretPageCalls {
  secrets: string[];
  timelines: string[];
  previews: { secretId: string; body: unknown }[];
  operations: { secretId: string; body: unknown; idempotencyKey: string | null }[];
}

/**
 * The API behind the Secret page, answering the happy path unless told otherwise: prod/payments/postgres
 * with a stuck rotation, its timeline, allowed previews, and operations that start workflow wf-9.
 */
export const secretPageApi = (api: SecretPageApi = {}): { handlers: HttpHandler[]; calls: SecretPageCalls } => {
  const calls: SecretPageCalls = { secrets: [], timelines: [], previews: [], operations: [] };
  const handlers: HttpHandler[] = [
    http.get('/api/v1/secrets/:secretId', ({ request, params }) => {
      const secretId = String(params.secretId);
      calls.secrets.push(secretId);
      return respond(api.secret ?? aStuckSecretDetail(), { body: null, url: new URL(request.url), secretId });
    }),
    http.get('/api/v1/secrets/:secretId/timeline', ({ request, params }) => {
      const secretId = String(params.secretId);
      calls.timelines.push(secretId);
      return respond(api.timeline ?? aTimeline(), { body: null, url: new URL(request.url), secretId });
    }),
    http.post('/api/v1/secrets/:secretId/operation-previews', async ({ request, params }) => {
      const secretId = String(params.secretId);
      const body = (await request.json()) as { operation: OperationPreview['operation'] };
      calls.previews.push({ secretId, body });
      return respond(api.preview ?? anOperationPreview(body.operation), { body, url: new URL(request.url), secretId });
    }),
    http.post('/api/v1/secrets/:secretId/operations', async ({ request, params }) => {
      const secretId = String(params.secretId);
      const body: unknown = await request.json();
      calls.operations.push({ secretId, body, idempotencyKey: request.headers.get('idempotency-key') });
      return respond(
        api.operation ?? { id: 'wf-9', status: 'pending', location: '/api/v1/workflows/wf-9' },
        { body, url: new URL(request.url), secretId },
        202,
      );
    }),
    // The workflow page an operation lands on.
    http.get('/api/v1/workflows/:workflowId', ({ params }) =>
      HttpResponse.json(aWorkflow({ id: String(params.workflowId), kind: 'rotate-now', status: 'succeeded' })),
    ),
  ];
  return { handlers, calls };
};

/** secretPageApi(api) served for this test: what the Secret page sends, as it sends it. */
export const serveSecretPageApi = (api: SecretPageApi = {}): SecretPageCalls => serveApi(secretPageApi(api));
