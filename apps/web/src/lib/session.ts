/**
 * The browser side of signing in and out. The session itself is an HttpOnly cookie the web app
 * never sees; all it knows is that the API answered 401 (no session, or it ended).
 */

/** Where the browser goes; one object so tests can watch it (jsdom does not navigate). */
export const browserLocation = {
  assign: (url: string) => window.location.assign(url),
};

/** Signed out on purpose: a page of the web app, so the provider's own session does not sign the person straight back in. */
export const SIGNED_OUT_PATH = '/signed-out';

const REDIRECT_KEY = 'rotation-console:sign-in-redirect';
/** A 401 again this soon after being sent to sign in means signing in does not help: stop there, no loop. */
const REDIRECT_GUARD_MS = 60_000;

export const signInUrl = (returnTo: string): string => `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;

const storage = (): Storage | undefined => {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage off: no guard, still at most one redirect per page load
  }
};

let redirectedThisPage = false;

/**
 * The API said 401: send the browser to sign in, back to this page afterwards. Once only: if the
 * last redirect was under a minute ago (sign-in came back and the API still says 401), or one is
 * already under way, returns false and the page shows the API's message instead.
 */
export const redirectToSignIn = (now = Date.now()): boolean => {
  if (redirectedThisPage || window.location.pathname === SIGNED_OUT_PATH) return false;
  const last = Number(storage()?.getItem(REDIRECT_KEY) ?? 0);
  if (now - last < REDIRECT_GUARD_MS) return false;
  storage()?.setItem(REDIRECT_KEY, String(now));
  redirectedThisPage = true;
  browserLocation.assign(signInUrl(window.location.pathname + window.location.search));
  return true;
};

/** An API call succeeded: the session works, so a later 401 (it expired) may redirect again. */
export const sessionConfirmed = (): void => {
  redirectedThisPage = false;
  storage()?.removeItem(REDIRECT_KEY);
};

/** Tests: forget earlier redirects. */
export const resetSignInRedirects = (): void => sessionConfirmed();
