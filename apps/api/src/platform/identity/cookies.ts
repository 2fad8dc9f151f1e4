import type { CookieOptions, Request, Response } from 'express';

/**
 * The console's two cookies: the session, and the short-lived pending login between
 * /auth/login and /auth/callback. Both HttpOnly and SameSite=Lax (the callback is a
 * top-level navigation from the provider, which Lax lets through). On https they are
 * Secure and `__Host-` prefixed: no Domain, Path=/, so no sibling subdomain can set or
 * read them.
 */
export interface CookieJar {
  sessionName: string;
  loginName: string;
  read(req: Request, name: string): string | undefined;
  set(res: Response, name: string, value: string, maxAgeMs: number): void;
  clear(res: Response, name: string): void;
}

/** The value of one cookie from the Cookie header; the first one wins. */
export const readCookie = (header: string | undefined, name: string): string | undefined => {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
};

export const createCookieJar = ({ secure }: { secure: boolean }): CookieJar => {
  const prefix = secure ? '__Host-' : '';
  const base: CookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/' };
  return {
    sessionName: `${prefix}rc_session`,
    loginName: `${prefix}rc_login`,
    read: (req, name) => readCookie(req.headers.cookie, name),
    set: (res, name, value, maxAgeMs) => {
      res.cookie(name, value, { ...base, maxAge: maxAgeMs });
    },
    clear: (res, name) => {
      res.clearCookie(name, base);
    },
  };
};
