import { routes } from '@rotation-console/contracts';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApi } from './support.ts';

const api = await buildApi();

describe('GET /api/v1/health', () => {
  it('When moto is the target, then health names it as an emulator with its account id', async () => {
    const res = await request(api.app).get('/api/v1/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      aws: { kind: 'emulator', endpoint: api.endpoint, region: 'us-east-1', accountId: '123456789012', reachable: true },
    });
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
