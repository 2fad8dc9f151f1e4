import { once } from 'node:events';
import { maxHeaderSize } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/platform/http-server.ts';
import { buildApi } from '../support/support.ts';

// Requests Node's HTTP parser refuses before the app sees them, over a real connection: the fuzz
// (schemathesis, in CI) sent POST /secrets/{id}/operations with an id of 2,048 astral characters
// (24 KiB percent-encoded, over Node's 16 KiB header limit) and got "Connection reset by peer"
// instead of the documented 431.
const api = await buildApi();
const server = createApiServer(api.app, { lingerMs: 300 }).listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await api.close();
});

/** POST .../operations as the fuzz sent it: the id percent-encoded, rotate-now with an override reason. */
const operationsRequest = (secretId: string, body: Buffer, connection = 'keep-alive') =>
  `POST /api/v1/secrets/${encodeURIComponent(secretId)}/operations HTTP/1.1\r\n` +
  `Host: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: ${connection}\r\n\r\n`;

const rotateNow = Buffer.from(JSON.stringify({ operation: 'rotate-now', overrideFreeze: { reason: 'incident 4711' } }));
/** 2,048 characters, each 4 bytes of UTF-8 and 12 percent-encoded: the longest id the document allows, over the limit. */
const astralId = '\u{1F600}'.repeat(2048);

/**
 * Sends the bytes on a connection of its own and gives back all it received until the server closed
 * it, and the socket error if it was reset. The client keeps its side open: Node's server closes a
 * connection its client half-closes, before answering.
 */
const exchange = (head: string, body: Buffer) =>
  new Promise<{ received: string; error: string | null; ended: boolean }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: string | null = null;
    let ended = false;
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => (ended = true));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ received: Buffer.concat(chunks).toString(), error, ended }));
    socket.write(head);
    socket.write(body);
  });

/** The connections the server holds open. */
const connections = () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));

const parse = (received: string) => {
  const [head = '', text = ''] = received.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, text };
};

describe('Requests Node’s parser refuses', () => {
  it('When a secret id makes the request line longer than the header limit, then the answer is a 431 with a JSON error, and the connection closes cleanly', async () => {
    const head = operationsRequest(astralId, rotateNow);
    expect(head.length).toBeGreaterThan(maxHeaderSize);

    for (let i = 0; i < 10; i++) {
      const { received, error, ended } = await exchange(head, rotateNow);
      const { status, headers, text } = parse(received);

      expect(error).toBeNull();
      expect(ended).toBe(true);
      expect(status).toBe(431);
      expect(headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', connection: 'close', 'cache-control': 'no-store' });
      expect(Number(headers['content-length'])).toBe(Buffer.byteLength(text));
      expect(JSON.parse(text)).toEqual({
        error: { code: 'too_large', message: expect.stringContaining('The request line and headers are over the 16 KiB this API accepts') },
        requestId: headers['x-request-id'],
      });
    }
  });

  it('When the client is still sending the body of a refused request, then it is read and dropped, never answered with a reset', async () => {
    // A body far larger than the socket buffers: Node's own answer cut the connection with most of it
    // unread, and the kernel reset it (ECONNRESET or EPIPE at the client, every time).
    const body = Buffer.alloc(8 * 1024 * 1024, ' ');

    const { received, error } = await exchange(operationsRequest(astralId, body), body);

    expect(error).toBeNull();
    expect(parse(received).status).toBe(431);
  });

  it('When a refused request’s client neither sends more nor closes, then the connection is cut after the linger time', async () => {
    // Half-open: the client keeps its side open when the server closes its own, so only the server can end it.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    socket.resume();
    await once(socket, 'connect');
    const started = Date.now();

    socket.write(operationsRequest(astralId, rotateNow));
    while ((await connections()) > 0 && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(await connections()).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    socket.destroy();
  });

  it('When the same id is short enough, then the request reaches the route and is answered there', async () => {
    const id = '\u{1F600}'.repeat(200);

    const { received, error } = await exchange(operationsRequest(id, rotateNow, 'close'), rotateNow);
    const { status, text } = parse(received);

    expect(error).toBeNull();
    expect(status).toBe(404);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'not_found', message: `Secret "${id}" was not found.` } });
  });

  it('When the bytes are not HTTP, then the answer is a 400 with a JSON error', async () => {
    const { received, error } = await exchange('NOT HTTP AT ALL\r\n\r\n', Buffer.alloc(0));

    expect(error).toBeNull();
    expect(parse(received).status).toBe(400);
    expect(JSON.parse(parse(received).text)).toMatchObject({ error: { code: 'invalid_input', message: 'Malformed HTTP request.' } });
  });
});
