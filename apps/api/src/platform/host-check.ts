import type { Request, RequestHandler } from 'express';
import { MisdirectedError } from './errors.ts';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);

/** `host[:port]` as a URL parses it (lower case, IPv6 in brackets, default port dropped), or null when it is not a host. */
const parseHost = (value: string, protocol: string): { hostname: string; port: number } | null => {
  if (!value || /[/?#@\s\\]/.test(value)) return null;
  try {
    const url = new URL(`${protocol}//${value}`);
    return { hostname: url.hostname, port: url.port ? Number(url.port) : protocol === 'https:' ? 443 : 80 };
  } catch {
    return null;
  }
};

/**
 * Answers 421 Misdirected Request to a request whose `Host` is not this console's, before
 * anything else runs (the API and the web app's pages alike). A page on another site whose
 * name was made to resolve to 127.0.0.1 (DNS rebinding) reaches the console's port, but its
 * requests carry the other site's name in `Host`, so they end here.
 *
 * Accepted: the host (and port) of PUBLIC_URL, where people reach the console through a proxy;
 * `127.0.0.1` and `localhost` on the port the request came in on (the socket's own port, so a
 * test server on port 0 and `pnpm start` on any PORT both work); and `[::1]` on that port when
 * the request came in over IPv6 loopback (the server listens there). The raw `Host` header is
 * checked, never `X-Forwarded-Host`: a forged header must not buy a way in.
 */
export const hostCheck = ({ publicUrl }: { publicUrl: string | undefined }): RequestHandler => {
  const pub = publicUrl ? new URL(publicUrl) : null;
  const pubHost = pub ? parseHost(pub.host, pub.protocol) : null;
  const accepted = (req: Request): boolean => {
    const header = req.headers.host ?? '';
    if (pubHost) {
      const asPublic = parseHost(header, pub!.protocol);
      if (asPublic && asPublic.hostname === pubHost.hostname && asPublic.port === pubHost.port) return true;
    }
    const local = parseHost(header, 'http:');
    if (!local || local.port !== req.socket.localPort) return false;
    if (LOOPBACK_NAMES.has(local.hostname)) return true;
    return local.hostname === '[::1]' && req.socket.localAddress === '::1';
  };
  return (req, _res, next) => {
    if (!accepted(req)) {
      throw new MisdirectedError({
        message: `This console does not answer for the host "${(req.headers.host ?? '').slice(0, 100)}": use ${publicUrl ?? 'http://127.0.0.1:<port>'} (or 127.0.0.1/localhost on this port), or set PUBLIC_URL to the address people use.`,
      });
    }
    next();
  };
};
