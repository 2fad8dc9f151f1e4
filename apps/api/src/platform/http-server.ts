import { randomUUID } from 'node:crypto';
import { createServer, maxHeaderSize, STATUS_CODES, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '@rotation-console/contracts';
import type { Logger } from './logger.ts';

/** How long a refused request's connection keeps reading what the client still sends before it is cut. */
export const LINGER_MS = 2000;

/** The answer to a request Node's parser refused, by the parser's error code (as Node's own answers). */
const answerOf = (code: string | undefined, limit: number): { status: number; code: ErrorBody['error']['code']; message: string } => {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'too_large',
        message: `The request line and headers are over the ${Math.round(limit / 1024)} KiB this API accepts: shorten the URL (an id or cursor of thousands of characters, percent-encoded) or the headers.`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'too_large', message: 'The chunk extensions of the request body are larger than this API accepts.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'invalid_input', message: 'The request did not arrive in time.' };
    default:
      return { status: 400, code: 'invalid_input', message: 'Malformed HTTP request.' };
  }
};

/** The raw HTTP/1.1 answer (there is no ServerResponse for a request the parser refused). */
const rawAnswer = (status: number, body: ErrorBody): string => {
  const text = JSON.stringify(body);
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    `x-request-id: ${body.requestId}`,
    'Connection: close',
    '',
    text,
  ].join('\r\n');
};

/**
 * The API's HTTP server. A request Node's parser refuses before the app sees it (request line and
 * headers over Node's 16 KiB limit: a long id percent-encoded, 12 bytes an astral character, gets
 * there) is answered here instead of by Node. Node writes a bare 431 and destroys the socket at
 * once, with the rest of the request still unread: the kernel then answers with a reset, and a
 * client still sending or reading (schemathesis, in CI) saw "Connection reset by peer" instead of
 * the 431. Here the answer is the API's JSON error body with a Content-Length, the connection is
 * half-closed after it, and what the client still sends is read and dropped (the parser, in error,
 * takes it) until the client closes, or for LINGER_MS at most.
 */
export const createApiServer = (app: RequestListener, { logger, lingerMs = LINGER_MS }: { logger?: Logger; lingerMs?: number } = {}): Server => {
  const server = createServer(app);
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Every later chunk of a refused request fails the parser again: already answered, being drained.
    if (answered.has(socket)) return;
    answered.add(socket);
    // As Node: no answer on a connection that is gone, or once another response's bytes have started
    // on it (a body the parser refused after the app began answering its request).
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy(error);
      return;
    }
    const requestId = randomUUID();
    const answer = answerOf(error.code, maxHeaderSize);
    // The code only: the request's bytes (error.rawPacket) may hold a token or a cookie.
    logger?.info({ requestId, status: answer.status, parserError: error.code }, 'request refused by the HTTP parser');
    socket.end(rawAnswer(answer.status, { error: { code: answer.code, message: answer.message }, requestId }));
    socket.resume();
    const cut = setTimeout(() => socket.destroy(), lingerMs).unref();
    socket.once('close', () => clearTimeout(cut));
  });
  return server;
};
