import { SecretPage } from '@rotation-console/contracts';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { anError, aPage } from '../test/fixtures.ts';
import { server } from '../test/server.ts';
import { apiGet } from './api-client.ts';
import { browserLocation, resetSignInRedirects } from './session.ts';

const unauthenticated = () => HttpResponse.json(anError('unauthenticated', 'Sign in at /auth/login, or send a bearer access token.'), { status: 401 });

describe('Signing in again when the API says 401', () => {
  let assign: MockInstance<(url: string) => void>;
  beforeEach(() => {
    resetSignInRedirects();
    window.history.replaceState(null, '', '/secrets?status=failed');
    assign = vi.spyOn(browserLocation, 'assign').mockImplementation(() => {});
  });
  afterEach(() => {
    assign.mockRestore();
    window.history.replaceState(null, '', '/');
  });

  it('When an API call answers 401, then the browser goes to sign in with the current page as returnTo, and the call still fails', async () => {
    // Arrange
    server.use(http.get('/api/v1/secrets', unauthenticated));

    // Act
    const failure = await apiGet('/api/v1/secrets', SecretPage).catch((error: unknown) => error);

    // Assert
    expect(assign).toHaveBeenCalledTimes(1);
    expect(assign).toHaveBeenCalledWith('/auth/login?returnTo=%2Fsecrets%3Fstatus%3Dfailed');
    expect(failure).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('When several calls answer 401 at once, or again right after signing in, then the browser is sent to sign in only once (no loop)', async () => {
    // Arrange
    server.use(http.get('/api/v1/secrets', unauthenticated));

    // Act: three calls of one page, then the page after coming back from the provider, still 401
    await Promise.allSettled([apiGet('/api/v1/secrets', SecretPage), apiGet('/api/v1/secrets', SecretPage), apiGet('/api/v1/secrets', SecretPage)]);
    vi.resetModules();
    const fresh = await import('./api-client.ts');
    const freshSession = await import('./session.ts');
    const freshAssign = vi.spyOn(freshSession.browserLocation, 'assign').mockImplementation(() => {});
    const again = await fresh.apiGet('/api/v1/secrets', SecretPage).catch((error: unknown) => error);

    // Assert
    expect(assign).toHaveBeenCalledTimes(1);
    expect(freshAssign).not.toHaveBeenCalled();
    expect(again).toMatchObject({ status: 401, message: 'Sign in at /auth/login, or send a bearer access token.' });
  });

  it('When a session worked and later ends, then the next 401 sends the browser to sign in again', async () => {
    // Arrange
    let signedIn = false;
    server.use(http.get('/api/v1/secrets', () => (signedIn ? HttpResponse.json(aPage([])) : unauthenticated())));
    await apiGet('/api/v1/secrets', SecretPage).catch(() => undefined);
    signedIn = true;
    await apiGet('/api/v1/secrets', SecretPage);
    signedIn = false;

    // Act
    await apiGet('/api/v1/secrets', SecretPage).catch(() => undefined);

    // Assert
    expect(assign).toHaveBeenCalledTimes(2);
  });

  it('When the API answers 403, then nobody is sent to sign in: the error is the answer', async () => {
    // Arrange
    server.use(http.get('/api/v1/secrets', () => HttpResponse.json(anError('not_allowed', 'Operators of team payments only.'), { status: 403 })));

    // Act
    const failure = await apiGet('/api/v1/secrets', SecretPage).catch((error: unknown) => error);

    // Assert
    expect(assign).not.toHaveBeenCalled();
    expect(failure).toMatchObject({ status: 403 });
  });
});
