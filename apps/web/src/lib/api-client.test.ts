import { SecretPage } from '@rotation-console/contracts';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../test/server.ts';
import { apiGet } from './api-client.ts';
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
        return HttpResponse.json({ items: [], nextCursor: null });
      }),
    );

    // Act
    await apiGet('/api/v1/secrets', SecretPage, { query: { name: 'prod/', status: undefined, team: '', cursor: null } });

    // Assert
    expect(search).toBe('?name=prod%2F');
  });
});
