import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { ALERT_ID_HEADER, ALERT_SIGNATURE_HEADER, ALERT_TIMESTAMP_HEADER } from '@rotation-console/contracts';
import nodemailer, { type Transporter } from 'nodemailer';
import { emailContent, slackBody, webhookBody, type AlertMessage } from './alert-message.ts';
import { guardedLookup, isForbiddenAddress, isLoopback } from './channel-url.ts';

/** What one attempt gave: delivered, or not and whether trying again may help. */
export interface SendResult {
  delivered: boolean;
  /** 5xx, 408, 429, a timeout, a refused or reset connection, an SMTP 4xx: worth another attempt. */
  transient: boolean;
  httpStatus: number | null;
  reply: string | null;
  error: string | null;
}

/** A channel ready to send: where, and with what (credentials stay in here, never in an answer or a log). */
export type ResolvedChannel = { kind: 'webhook'; url: string; signingSecret: string } | { kind: 'slack'; url: string } | { kind: 'email'; to: string[] };

export interface SmtpSettings {
  url: string;
  from: string;
  /** PEM of a private CA (SMTP_CA_FILE), or the test's self-signed certificate. */
  ca?: string | undefined;
}

/** The HMAC-SHA256 of the raw body, as the signature header carries it. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ESOCKET', 'ECONNECTION']);

const failure = (error: string, transient: boolean, extra: Partial<SendResult> = {}): SendResult => ({
  delivered: false,
  transient,
  httpStatus: null,
  reply: null,
  error,
  ...extra,
});

/** A POST of JSON with the console's own client: the guarded lookup, a timeout, the answer's status (its body is not read into anything). */
const postJson = (rawUrl: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendResult> =>
  new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return resolve(failure('The channel URL is not valid', false));
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && isForbiddenAddress(host)) return resolve(failure(`${host} is a link-local or metadata address`, false));
    // A teams file's URL was not checked when it was written: http:// goes only to this machine here too.
    if (url.protocol === 'http:' && host !== 'localhost' && !(isIP(host) && isLoopback(host))) {
      return resolve(failure('The URL must start with https:// (http:// is allowed only to this machine)', false));
    }
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'rotation-console-alerts', ...headers },
        lookup: guardedLookup,
        timeout: timeoutMs,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // Drain the answer without keeping it: a receiver's body is not the console's to show.
        res.resume();
        res.on('end', () =>
          resolve(
            status >= 200 && status < 300
              ? { delivered: true, transient: false, httpStatus: status, reply: null, error: null }
              : failure(`The receiver answered HTTP ${status}`, status >= 500 || status === 408 || status === 429, { httpStatus: status }),
          ),
        );
        res.on('error', () => resolve(failure('The answer was cut off', true, { httpStatus: status })));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`No answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      resolve(failure(code === 'ETIMEDOUT' ? error.message : `${code || 'Error'}: could not reach ${url.host}`, TRANSIENT_CODES.has(code) || code === ''));
    });
    req.end(body);
  });

export interface Senders {
  send(alertId: string, channel: ResolvedChannel, message: AlertMessage): Promise<SendResult>;
  close(): void;
}

export const createSenders = ({ smtp, timeoutMs, now = () => new Date() }: { smtp: SmtpSettings | null; timeoutMs: number; now?: () => Date }): Senders => {
  let transport: Transporter | null = null;
  const mailer = () => {
    if (!smtp) return null;
    const url = new URL(smtp.url);
    // STARTTLS is required on smtp:// (requireTLS): nodemailer refuses to send in the clear.
    transport ??= nodemailer.createTransport({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      requireTLS: url.protocol === 'smtp:',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      ...(smtp.ca ? { tls: { ca: smtp.ca } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    return transport;
  };

  return {
    async send(alertId, channel, message) {
      switch (channel.kind) {
        case 'webhook': {
          const timestamp = Math.floor(now().getTime() / 1000);
          const body = JSON.stringify(webhookBody(alertId, message, timestamp));
          return postJson(
            channel.url,
            body,
            { [ALERT_SIGNATURE_HEADER]: signBody(channel.signingSecret, body), [ALERT_TIMESTAMP_HEADER]: String(timestamp), [ALERT_ID_HEADER]: alertId },
            timeoutMs,
          );
        }
        case 'slack':
          return postJson(channel.url, JSON.stringify(slackBody(message)), {}, timeoutMs);
        case 'email': {
          const t = mailer();
          if (!t || !smtp) return failure('No SMTP server is set (SMTP_URL)', false);
          const { subject, text } = emailContent(message);
          try {
            const info = (await t.sendMail({ from: smtp.from, to: channel.to, subject, text, headers: { [ALERT_ID_HEADER]: alertId } })) as {
              response?: string;
            };
            return { delivered: true, transient: false, httpStatus: null, reply: info.response ?? null, error: null };
          } catch (error) {
            const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
            const reply = e.response ?? null;
            // SMTP 4xx is "try later"; 5xx is a refusal; no reply at all is the connection (retry).
            const transient = e.responseCode ? e.responseCode < 500 : true;
            return failure(
              e.responseCode ? `The SMTP server refused: ${e.responseCode}` : `${e.code ?? 'Error'}: ${e.message ?? 'could not send'}`,
              transient,
              {
                reply,
              },
            );
          }
        }
      }
    },
    close() {
      transport?.close();
      transport = null;
    },
  };
};

/** SMTP settings from the config, reading SMTP_CA_FILE once. */
export const smtpFromConfig = (config: { SMTP_URL?: string | undefined; SMTP_CA_FILE?: string | undefined; ALERTS_FROM: string }): SmtpSettings | null =>
  config.SMTP_URL ? { url: config.SMTP_URL, from: config.ALERTS_FROM, ca: config.SMTP_CA_FILE ? readFileSync(config.SMTP_CA_FILE, 'utf8') : undefined } : null;
