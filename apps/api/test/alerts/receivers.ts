import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';

/** What a webhook or Slack receiver got: the path, the headers and the raw body as sent. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
}

/**
 * A receiver on 127.0.0.1 (port 0): keeps every request; answers each path with the statuses
 * queued for it (`answerNext`), then 200.
 */
export const startHttpReceiver = async () => {
  const received: Received[] = [];
  const queued = new Map<string, number[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, raw, body: JSON.parse(raw || '{}') as Record<string, unknown> });
      const status = queued.get(path)?.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver failing');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    answerNext: (path: string, ...statuses: number[]) => queued.set(path, [...(queued.get(path) ?? []), ...statuses]),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** As a receiver verifies a webhook (docs/alerts.md): HMAC-SHA256 of the raw body with the signing secret, compared in constant time. */
export const signatureValid = (r: Received, secret: string): boolean => {
  const header = String(r.headers['x-rotation-console-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(r.raw).digest('hex')}`;
  return header.length === expected.length && timingSafeEqual(Buffer.from(header), Buffer.from(expected));
};

export interface Mail {
  from: string;
  to: string[];
  raw: string;
  /** The session was upgraded with STARTTLS before the message came. */
  secure: boolean;
}

/** An SMTP server on 127.0.0.1 that offers STARTTLS with a certificate made here (self-signed); `ca` is that certificate, for the client to trust. */
export const startSmtpReceiver = async () => {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const mails: Mail[] = [];
  const server = new SMTPServer({
    key: pems.private,
    cert: pems.cert,
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    ca: pems.cert,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
