import { SchedulePreview, SecretPage } from '@rotation-console/contracts';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { server } from '../test/server.ts';
import { aPage } from '../test/fixtures.ts';
import { aSchedulePreview } from '../test/rotation-fixtures.ts';
import { apiGet, apiPost, forgetCsrfToken } from './api-client.ts';
import { ApiError } from './api-error.ts';

describe('apiGet', () => {
  it('When the API answers with an error body, then it throws an ApiError with status, code, message and request id', async () => {
    // Arrange
    server.use(
      http.get('/api/v1/secrets', () =>
        HttpResponse.json({ error: { code: 'invalid_input', message: 'limit must be at most 100' }, requestId: 'req-42' }, { status: 400 }),
      ),
    );

    // Act
    const failure = await apiGet('/api/v1/secrets', SecretPage, { query: { limit: 500 } }).catch((error: unknown) => error);

    // Assert
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 400, code: 'invalid_input', message: 'limit must be at most 100', requestId: 'req-42' });
  });

  it('When the API answers with something that is not an error body, then the ApiError says what status came back', async () => {
    // Arrange
    server.use(http.get('/api/v1/secrets', () => new HttpResponse('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })));

    // Act
    const failure = await apiGet('/api/v1/secrets', SecretPage).catch((error: unknown) => error);

    // Assert
    expect(failure).toMatchObject({ status: 502, code: 'internal', message: 'The API answered 502 Bad Gateway.' });
  });

  it('When the body does not match the contract, then it throws an invalid_response ApiError', async () => {
    // Arrange
    server.use(http.get('/api/v1/secrets', () => HttpResponse.json({ items: 'nope' })));

    // Act
    const failure = await apiGet('/api/v1/secrets', SecretPage).catch((error: unknown) => error);

    // Assert
    expect(failure).toMatchObject({ code: 'invalid_response' });
  });

  it('When the network fails, then it throws a network_error ApiError', async () => {
    // Arrange
    server.use(http.get('/api/v1/secrets', () => HttpResponse.error()));

    // Act
    const failure = await apiGet('/api/v1/secrets', SecretPage).catch((error: unknown) => error);

    // Assert
    expect(failure).toMatchObject({ status: 0, code: 'network_error', message: 'Could not reach the API.' });
  });

  it('When the API does not answer in time, then it throws a timeout ApiError instead of hanging', async () => {
    // Arrange
    server.use(http.get('/api/v1/secrets', () => new Promise<Response>(() => {})));

    // Act
    const failure = await apiGet('/api/v1/secrets', SecretPage, { timeoutMs: 50 }).catch((error: unknown) => error);

    // Assert
    expect(failure).toMatchObject({ status: 0, code: 'timeout' });
  });

  it('When query values are empty, then they are left out of the URL', async () => {
    // Arrange
    let search = '';
    server.use(
      http.get('/api/v1/secrets', ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json(aPage([]));
      }),
    );

    // Act
    await apiGet('/api/v1/secrets', SecretPage, { query: { name: 'prod/', status: undefined, team: '', cursor: null } });

    // Assert
    expect(search).toBe('?name=prod%2F');
  });
});

describe('apiPost and the CSRF token', () => {
  afterEach(() => forgetCsrfToken());
  const previewBody = { schedule: { kind: 'expression', expression: 'rate(30 days)' } };

  it('When the session has a CSRF token, then every POST sends it in X-CSRF-Token, asking for it only once', async () => {
    // Arrange
    let tokenCalls = 0;
    const sent: (string | null)[] = [];
    server.use(
      http.get('/api/v1/csrf-token', () => {
        tokenCalls += 1;
        return HttpResponse.json({ token: 'token-1', header: 'x-csrf-token' });
      }),
      http.post('/api/v1/schedule-previews', ({ request }) => {
        sent.push(request.headers.get('x-csrf-token'));
        return HttpResponse.json(aSchedulePreview());
      }),
    );
    forgetCsrfToken();

    // Act
    await apiPost('/api/v1/schedule-previews', previewBody, SchedulePreview);
    await apiPost('/api/v1/schedule-previews', previewBody, SchedulePreview);

    // Assert
    expect(sent).toEqual(['token-1', 'token-1']);
    expect(tokenCalls).toBe(1);
  });

  it('When the API refuses the token (the person signed in again elsewhere), then the POST is sent once more with a fresh token', async () => {
    // Arrange
    const tokens = ['stale', 'fresh'];
    const sent: (string | null)[] = [];
    server.use(
      http.get('/api/v1/csrf-token', () => HttpResponse.json({ token: tokens.shift() ?? 'fresh', header: 'x-csrf-token' })),
      http.post('/api/v1/schedule-previews', ({ request }) => {
        const token = request.headers.get('x-csrf-token');
        sent.push(token);
        if (token !== 'fresh') {
          return HttpResponse.json({ error: { code: 'csrf_rejected', message: 'This request needs the CSRF token.' }, requestId: 'r1' }, { status: 403 });
        }
        return HttpResponse.json(aSchedulePreview());
      }),
    );
    forgetCsrfToken();

    // Act
    const preview = await apiPost('/api/v1/schedule-previews', previewBody, SchedulePreview);

    // Assert
    expect(sent).toEqual(['stale', 'fresh']);
    expect(preview.valid).toBe(true);
  });

  it('When the API needs no token (AUTH_MODE=local), then the POST carries no X-CSRF-Token header', async () => {
    // Arrange
    let header: string | null = 'unset';
    server.use(
      http.post('/api/v1/schedule-previews', ({ request }) => {
        header = request.headers.get('x-csrf-token');
        return HttpResponse.json(aSchedulePreview());
      }),
    );
    forgetCsrfToken();

    // Act
    await apiPost('/api/v1/schedule-previews', previewBody, SchedulePreview);

    // Assert
    expect(header).toBeNull();
  });

  it('When a forbidden POST is not about CSRF, then it fails at once without a second try', async () => {
    // Arrange
    let posts = 0;
    server.use(
      http.post('/api/v1/schedule-previews', () => {
        posts += 1;
        return HttpResponse.json(
          { error: { code: 'not_allowed', message: 'You are not allowed to rotation:plan on this service.' }, requestId: 'r2' },
          { status: 403 },
        );
      }),
    );
    forgetCsrfToken();

    // Act
    const failure = await apiPost('/api/v1/schedule-previews', previewBody, SchedulePreview).catch((error: unknown) => error);

    // Assert
    expect(failure).toMatchObject({ status: 403, code: 'not_allowed' });
    expect(posts).toBe(1);
  });
});
