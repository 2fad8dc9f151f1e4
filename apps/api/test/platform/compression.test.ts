import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApi } from '../support/support.ts';

// A stand-in for the built web app: an index.html and one large script, as Vite emits them.
const webDist = mkdtempSync(path.join(tmpdir(), 'rc-web-dist-'));
const script = `export const rows = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ name: `app-${i}`, status: 'healthy' })))};\n`;
writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><html><body><div id="root"></div><script type="module" src="/app.js"></script></body></html>');
writeFileSync(path.join(webDist, 'app.js'), script);

const api = await buildApi({ WEB_DIST: webDist });
afterAll(() => api.close());

// Node's own client: it leaves the body as it came (supertest would decode it).
const server = api.app.listen(0, '127.0.0.1');
await once(server, 'listening');
afterAll(() => new Promise((resolve) => server.close(resolve)));
const { port } = server.address() as AddressInfo;

/** An answer's headers and raw bytes, before any decoding. */
const get = (url: string, acceptEncoding: string) =>
  new Promise<{ res: IncomingMessage; body: Buffer }>((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: url, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });

describe('Compressed answers', () => {
  it('When the browser accepts gzip, then the web app’s script comes gzipped and decodes to the file', async () => {
    const { res, body } = await get('/app.js', 'gzip, deflate');

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(body.length).toBeLessThan(script.length / 4);
    expect(gunzipSync(body).toString()).toBe(script);
  });

  it('When the browser accepts gzip, then API JSON comes gzipped', async () => {
    const { res, body } = await get('/api/v1/openapi.json', 'gzip');

    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(body).toString())).toMatchObject({ openapi: '3.1.0' });
  });

  it('When the client accepts no encoding, then the answer is sent as is', async () => {
    const { res, body } = await get('/app.js', 'identity');

    expect(res.headers['content-encoding']).toBeUndefined();
    expect(body.toString()).toBe(script);
  });
});
