import type {
  MasterSecretCandidateList,
  PreflightReport,
  RotationPlan,
  SchedulePreview,
  SecretCheck,
  SecretDetail,
  SecretNetwork,
  VpcDetail,
} from '@rotation-console/contracts';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { aSecret, aSecretDetail } from './fixtures.ts';
import {
  aFoundNetwork,
  aLambdaFunctionList,
  aMasterSecretCandidateList,
  aPreflightReport,
  aRotationPlan,
  aSchedulePreview,
  aSecretCheck,
  aVpcDetail,
  aVpcList,
  anIsolatedVpc,
} from './rotation-fixtures.ts';

/** What the wizard sent, in order, for tests to assert on. */
export interface RotationCalls {
  previews: unknown[];
  checks: URLSearchParams[];
  plans: unknown[];
  preflights: unknown[];
  workflows: { body: unknown; idempotencyKey: string | null }[];
  /** GET /secrets/{id}/master-secret-candidates: the secret asked for and the query. */
  masterCandidates: { secretId: string; query: URLSearchParams }[];
}

type Answer<T> = T | Response | ((input: { body: unknown; url: URL }) => T | Response);

export interface RotationApi {
  secret?: SecretDetail;
  preview?: Answer<SchedulePreview>;
  network?: Answer<SecretNetwork>;
  vpcs?: Record<string, VpcDetail>;
  check?: Answer<SecretCheck>;
  masterCandidates?: Answer<MasterSecretCandidateList>;
  plan?: Answer<RotationPlan>;
  preflight?: Answer<PreflightReport>;
  workflow?: Answer<{ id: string; status: 'pending'; location: string }>;
}

const respond = <T>(answer: Answer<T>, input: { body: unknown; url: URL }, status = 200) => {
  const value = typeof answer === 'function' ? (answer as (i: typeof input) => T | Response)(input) : answer;
  // A Response given once may be served many times: serve copies, never the original.
  return value instanceof Response ? value.clone() : HttpResponse.json(value as object, { status });
};

/**
 * The API the rotation wizard talks to, answering the happy path unless told otherwise: the secret
 * prod/orders/postgres on an RDS PostgreSQL instance found in vpc-0a1b2c3d, a valid 30-day schedule,
 * a passing check, a plan, and a workflow accepted as wf-1. Returns the handlers and what was sent.
 */
export const rotationApi = (api: RotationApi = {}): { handlers: HttpHandler[]; calls: RotationCalls } => {
  const calls: RotationCalls = { previews: [], checks: [], plans: [], preflights: [], workflows: [], masterCandidates: [] };
  const vpcs: Record<string, VpcDetail> = { 'vpc-0a1b2c3d': aVpcDetail(), 'vpc-isolated': anIsolatedVpc(), ...api.vpcs };
  const handlers: HttpHandler[] = [
    http.get('/api/v1/secrets/:secretId/master-secret-candidates', ({ request, params }) => {
      const url = new URL(request.url);
      calls.masterCandidates.push({ secretId: String(params.secretId), query: url.searchParams });
      return respond(api.masterCandidates ?? aMasterSecretCandidateList(), { body: null, url });
    }),
    http.get('/api/v1/secrets/:secretId/check', ({ request }) => {
      const url = new URL(request.url);
      calls.checks.push(url.searchParams);
      return respond(api.check ?? aSecretCheck(), { body: null, url });
    }),
    http.get('/api/v1/secrets/:secretId/network', ({ request }) => respond(api.network ?? aFoundNetwork(), { body: null, url: new URL(request.url) })),
    http.get('/api/v1/secrets/:secretId', () =>
      HttpResponse.json(api.secret ?? aSecretDetail({ rotation: { ...aSecret().rotation, enabled: false, lambdaArn: null, rules: null } })),
    ),
    http.post('/api/v1/schedule-previews', async ({ request }) => {
      const body: unknown = await request.json();
      calls.previews.push(body);
      return respond(api.preview ?? aSchedulePreview(), { body, url: new URL(request.url) });
    }),
    http.get('/api/v1/lambda-functions', () => HttpResponse.json(aLambdaFunctionList())),
    http.get('/api/v1/vpcs', () => HttpResponse.json(aVpcList())),
    http.get('/api/v1/vpcs/:vpcId', ({ params }) => {
      const detail = vpcs[String(params.vpcId)];
      return detail
        ? HttpResponse.json(detail)
        : HttpResponse.json({ error: { code: 'not_found', message: 'No such VPC.' }, requestId: 'req-vpc' }, { status: 404 });
    }),
    http.post('/api/v1/rotation-plans/preflight', async ({ request }) => {
      const body: unknown = await request.json();
      calls.preflights.push(body);
      return respond(api.preflight ?? aPreflightReport(), { body, url: new URL(request.url) });
    }),
    http.post('/api/v1/rotation-plans', async ({ request }) => {
      const body: unknown = await request.json();
      calls.plans.push(body);
      return respond(api.plan ?? aRotationPlan(), { body, url: new URL(request.url) });
    }),
    http.post('/api/v1/workflows', async ({ request }) => {
      const body: unknown = await request.json();
      calls.workflows.push({ body, idempotencyKey: request.headers.get('idempotency-key') });
      return respond(api.workflow ?? { id: 'wf-1', status: 'pending', location: '/api/v1/workflows/wf-1' }, { body, url: new URL(request.url) }, 202);
    }),
  ];
  return { handlers, calls };
};
