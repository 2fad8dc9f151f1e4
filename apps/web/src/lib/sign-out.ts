import { csrfHeaders } from './api-client.ts';
import { browserLocation, SIGNED_OUT_PATH } from './session.ts';

/**
 * Ends the console's session (POST /auth/logout, with the session's CSRF token as every POST of a
 * cookie session), then shows the signed-out page.
 */
export const signOut = async (): Promise<void> => {
  const response = await fetch('/auth/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(await csrfHeaders()) },
  });
  if (!response.ok) throw new Error(`Signing out failed: the console answered ${response.status}. Try again.`);
  browserLocation.assign(SIGNED_OUT_PATH);
};
