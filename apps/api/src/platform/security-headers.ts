import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The Content-Security-Policy of everything the API serves: the built web app and the JSON.
 * Checked in Chromium against the Vite build (e2e/specs/security-headers.spec.ts):
 * - scripts: 'self' only. The build has no inline script; no 'unsafe-eval' (the web app turns
 *   off zod's `new Function` fast path with `z.config({ jitless: true })`).
 * - styles: 'self' only. Cloudscape ships its styles as CSS files in the build and sets
 *   element styles through the CSSOM (`element.style`), which CSP does not govern; it
 *   injects no <style> element and no style="" attribute, so 'unsafe-inline' is not needed.
 * - fonts and images: 'self' plus data: (Cloudscape's global styles embed their fonts as
 *   data: URLs, and its icons are inline SVG).
 * - connect: 'self' (the web app calls only its own API); frames, objects and <base> none;
 *   forms post only to this origin; nothing may frame the console (clickjacking).
 */
export const contentSecurityPolicy = ({ https }: { https: boolean }): Record<string, string[]> => ({
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  // Over plain http (127.0.0.1) it would send the page's own requests to https and break them.
  ...(https ? { 'upgrade-insecure-requests': [] } : {}),
});

/**
 * helmet's headers with the console's CSP. HSTS only where the console is served over https
 * (PUBLIC_URL); a browser ignores it over http, and a local http console must not claim it.
 */
export const securityHeaders = ({ https }: { https: boolean }): RequestHandler =>
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy({ https }) },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
