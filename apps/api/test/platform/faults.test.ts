import { createServer, type Server, type Socket } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../support/support.ts';

/** A TCP server that accepts connections and never answers: a hung AWS endpoint. */
const sockets = new Set<Socket>();
const silentServer = () =>
  new Promise<Server & { url: string }>((resolve) => {
    const server = createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve(Object.assign(server, { url: `http://127.0.0.1:${port}` }));
    });
  });

/** A port nothing listens on: an AWS endpoint that is down. */
const closedPort = async () => {
  const server = await silentServer();
  await new Promise((r) => server.close(r));
  return server.url;
};

describe('When AWS is down or slow', () => {
  let hung: Server & { url: string };
  beforeAll(async () => {
    hung = await silentServer();
  });
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    hung.close();
  });

  it('When the endpoint refuses connections, then the list answers 503 with a clear message', async () => {
    const { app } = await buildApi({ AWS_ENDPOINT_URL: await closedPort() });
    const res = await request(app).get('/api/v1/secrets').expect(503);
    expect(res.body.error.code).toBe('upstream_unavailable');
    expect(res.body.error.message).toMatch(/Could not reach the AWS endpoint for ListSecrets/);
  });

  it('When the endpoint never answers, then the API gives up with 504 within its timeout', async () => {
    const { app } = await buildApi({ AWS_ENDPOINT_URL: hung.url, AWS_TIMEOUT_MS: '400', AWS_MAX_ATTEMPTS: '2' });
    const started = Date.now();
    const res = await request(app).get('/api/v1/secrets/prod%2Fdb').expect(504);
    expect(res.body.error.code).toBe('upstream_timeout');
    // DescribeSecret and ListSecretVersionIds run side by side; either may time out first.
    expect(res.body.error.message).toMatch(/^AWS did not answer (DescribeSecret|ListSecretVersionIds) in time\.$/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('When AWS is unreachable, then health still answers and says so', async () => {
    const { app } = await buildApi({ AWS_ENDPOINT_URL: await closedPort() });
    const res = await request(app).get('/api/v1/health').expect(200);
    expect(res.body).toMatchObject({ status: 'degraded', aws: { kind: 'emulator', reachable: false, accountId: null } });
  });
});
