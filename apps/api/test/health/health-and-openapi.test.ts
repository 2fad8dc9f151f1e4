import { routes } from '@rotation-console/contracts';
import { startAwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { startDemoProvider } from '@rotation-console/harness/oidc/provider.ts';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceToken, startConsole } from '../support/identity-support.ts';
import { buildApi, motoEndpoint } from '../support/support.ts';

const api = await buildApi();
const provider = await startDemoProvider({ port: 0 });
afterAll(async () => {
  await api.close();
  await provider.stop();
});

describe('GET /api/v1/health', () => {
  it('When moto is the target, then health names it as an emulator with its account id', async () => {
    const res = await request(api.app).get('/api/v1/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      aws: { kind: 'emulator', endpoint: api.endpoint, region: 'us-east-1', accountId: '123456789012', reachable: true },
    });
  });

  it('When nobody is signed in (AUTH_MODE=oidc), then health says only up; a signed-in caller also gets the account, region, endpoint and version', async () => {
    const oidc = await startConsole(provider.issuer);
    try {
      const anonymous = await fetch(`${oidc.url}/api/v1/health`);
      const signedIn = await fetch(`${oidc.url}/api/v1/health`, { headers: { authorization: `Bearer ${await serviceToken(provider.issuer, 'svc-viewer')}` } });

      expect(anonymous.status).toBe(200);
      expect(await anonymous.json()).toEqual({ status: 'ok' });
      expect(await signedIn.json()).toMatchObject({
        status: 'ok',
        version: expect.any(String),
        aws: { accountId: '123456789012', region: 'us-east-1', endpoint: motoEndpoint() },
      });
    } finally {
      await oidc.close();
    }
  });

  it("When AWS does not answer, then an anonymous caller learns 'unavailable' and nothing of the error; a signed-in caller sees what went wrong", async () => {
    const oidc = await startConsole(provider.issuer, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' });
    try {
      const anonymous = await fetch(`${oidc.url}/api/v1/health`);
      const signedIn = await fetch(`${oidc.url}/api/v1/health`, { headers: { authorization: `Bearer ${await serviceToken(provider.issuer, 'svc-viewer')}` } });

      expect(await anonymous.json()).toEqual({ status: 'unavailable' });
      expect(await signedIn.json()).toMatchObject({
        status: 'degraded',
        aws: { reachable: false, accountId: null, error: expect.stringContaining('GetCallerIdentity') },
      });
    } finally {
      await oidc.close();
    }
  });

  it('When 50 health checks arrive, at once and one after another, then AWS is asked once (STS GetCallerIdentity, its answer kept a minute)', async () => {
    const proxy = await startAwsProxy({ target: motoEndpoint() });
    const counted = await buildApi({ AWS_ENDPOINT_URL: proxy.url });
    try {
      const together = await Promise.all(Array.from({ length: 25 }, () => request(counted.app).get('/api/v1/health')));
      const after: number[] = [];
      for (let i = 0; i < 25; i++) after.push((await request(counted.app).get('/api/v1/health')).status);

      expect([...together.map((r) => r.status), ...after]).toEqual(Array(50).fill(200));
      expect(together.every((r) => r.body.aws.accountId === '123456789012')).toBe(true);
      expect(proxy.calls.filter((c) => c.operation === 'GetCallerIdentity')).toHaveLength(1);
    } finally {
      await counted.close();
      await proxy.close();
    }
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('When the document is read, then it describes every route of the contract table', async () => {
    const res = await request(api.app).get('/api/v1/openapi.json').expect(200);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };

    expect(doc.openapi).toBe('3.1.0');
    for (const route of routes) {
      expect(doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method], `${route.method} ${route.path}`).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['SecretPage', 'SecretDetail', 'ErrorBody', 'Health']));
  });

  it('When an unknown API route is called, then 404 comes back as a JSON error', async () => {
    const res = await request(api.app).get('/api/v1/nothing-here').expect(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
