import type { AddressInfo } from 'node:net';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { IndexChange } from '@rotation-console/contracts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, buildApi, reset } from '../support/support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

/**
 * GET /api/v1/index/changes: the web app's signal that the index changed (server-sent events), so
 * the dashboard, the portal and a secret's timeline change without a reload. It says when, never
 * which secret or what value.
 */
describe('The index change stream', () => {
  let api: Api;
  let server: ReturnType<Api['app']['listen']>;
  let base: string;

  beforeAll(async () => {
    await reset();
    api = await buildApi();
    server = api.bareApp.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    api.events.changes.stop();
    await api.close();
  });

  it('When a secret is written to the index while a page listens, then the stream says the index changed, naming no secret', async () => {
    // Arrange
    const controller = new AbortController();
    const res = await fetch(`${base}/api/v1/index/changes`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const received = (async () => {
      while (!text.includes('event: index-changed')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    })();
    await expect.poll(() => text).toContain('retry:');

    // Act
    await aws().secretsManager.send(new CreateSecretCommand({ Name: 'changes/orders-db', SecretString: '{"password":"not-for-the-stream"}' }));
    await api.dashboard.crawler.refreshSecret('changes/orders-db');

    // Assert
    await received;
    controller.abort();
    const data = /event: index-changed\ndata: (.*)\n/.exec(text)?.[1];
    expect(IndexChange.parse(JSON.parse(data!)).changedAt).toEqual(expect.any(String));
    expect(text).not.toContain('changes/orders-db');
    expect(text).not.toContain('not-for-the-stream');
  });

  it('When the route is read without asking for a stream, then it answers the last change as JSON', async () => {
    // Act
    const res = await request(api.app).get('/api/v1/index/changes').expect(200);

    // Assert
    expect(IndexChange.parse(res.body).changedAt).toEqual(expect.any(String));
  });
});
