import type { CsrfToken, ErrorBody } from '@rotation-console/contracts';
import { ERROR_CODES } from '@rotation-console/contracts/values';
import type { z } from 'zod';
import { ApiError } from './api-error.ts';
import { redirectToSignIn, sessionConfirmed } from './session.ts';

/** A request gives up after this long, so no screen waits forever. */
export const REQUEST_TIMEOUT_MS = 30_000;

type QueryValue = string | number | undefined | null;

export interface ApiGetOptions {
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ApiPostOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Builds an absolute URL on the page's origin; empty query values are left out. */
export const apiUrl = (path: string, query: Record<string, QueryValue> = {}): string => {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    url.searchParams.set(key, String(value));
  }
  return url.toString();
};

const isText = (value: unknown): value is string => typeof value === 'string';

/**
 * The contract's ErrorBody, checked by hand rather than with its schema, so this client (which the
 * landing page loads) needs no zod.
 */
const isErrorBody = (body: unknown): body is ErrorBody => {
  const { error, requestId } = (body ?? {}) as Partial<Record<keyof ErrorBody, unknown>>;
  if (!isText(requestId) || typeof error !== 'object' || error === null) return false;
  const { code, message, details } = error as Record<string, unknown>;
  const fieldError = (d: unknown) =>
    typeof d === 'object' && d !== null && isText((d as Record<string, unknown>).path) && isText((d as Record<string, unknown>).message);
  return (
    ERROR_CODES.includes(code as ErrorBody['error']['code']) &&
    isText(message) &&
    (details === undefined || (Array.isArray(details) && details.every(fieldError)))
  );
};

const errorFromResponse = async (response: Response): Promise<ApiError> => {
  const fallbackRequestId = response.headers.get('x-request-id');
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML error page, for instance): fall through to the generic message.
  }
  if (isErrorBody(body)) {
    return new ApiError({
      status: response.status,
      code: body.error.code,
      message: body.error.message,
      requestId: body.requestId,
      details: body.error.details ?? [],
    });
  }
  return new ApiError({
    status: response.status,
    code: response.status === 404 ? 'not_found' : 'internal',
    message: `The API answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    requestId: fallbackRequestId,
  });
};

interface RequestOptions {
  method: 'GET' | 'POST' | 'DELETE';
  query?: Record<string, QueryValue> | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/**
 * One call to the API, its answer parsed with the contract's schema; a 401 sends the browser to
 * sign in (lib/session.ts). Throws an ApiError on an HTTP error (with the API's code, message, request id and field details), a network failure,
 * a timeout, or a body that does not match the schema.
 */
const apiRequest = async <T>(path: string, check: (json: unknown) => { success: true; data: T } | { success: false }, options: RequestOptions): Promise<T> => {
  const { method, query, body, headers = {}, signal, timeoutMs = REQUEST_TIMEOUT_MS } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;

  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: 'same-origin',
      signal: combined,
    });
  } catch (error) {
    if (signal?.aborted) throw error; // cancelled by the caller (React Query): not a failure to report
    if (timeout.aborted) {
      throw new ApiError({ status: 0, code: 'timeout', message: 'The API did not answer in time.', requestId: null });
    }
    throw new ApiError({ status: 0, code: 'network_error', message: 'Could not reach the API.', requestId: null });
  }

  // No session (or it ended): off to sign in, back here afterwards. The error still reaches the
  // page, which shows the API's message for the moment the browser takes to leave (or for good, if
  // signing in just now did not help).
  if (response.status === 401) redirectToSignIn();
  if (!response.ok) throw await errorFromResponse(response);
  sessionConfirmed();
  // 204 No Content (a DELETE): nothing to parse.
  if (response.status === 204) {
    const none = check(undefined);
    if (none.success) return none.data;
  }

  const requestId = response.headers.get('x-request-id');
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ApiError({ status: response.status, code: 'invalid_response', message: 'The API answered with a body that is not JSON.', requestId });
  }
  const parsed = check(json);
  if (!parsed.success) {
    throw new ApiError({
      status: response.status,
      code: 'invalid_response',
      message: 'The API answered with data this console does not understand.',
      requestId,
    });
  }
  return parsed.data;
};

/** Takes an answer as the contract types it, unparsed (see apiGetTyped). */
const typed = <T>(json: unknown): { success: true; data: T } => ({ success: true, data: json as T });

/**
 * The CSRF token of this page's session (GET /api/v1/csrf-token), asked for once before the
 * first POST and sent on every POST; null where the API needs none (AUTH_MODE=local, bearer).
 */
let csrfToken: Promise<CsrfToken> | undefined;

/** Forgets the token: the next POST asks for a new one (after a 403 csrf_rejected, and in tests). */
export const forgetCsrfToken = () => {
  csrfToken = undefined;
};

/** The header a POST of this session sends (`{}` where the API needs none); sign-out uses it too. */
export const csrfHeaders = async (signal?: AbortSignal): Promise<Record<string, string>> => {
  csrfToken ??= apiRequest('/api/v1/csrf-token', typed<CsrfToken>, { method: 'GET', signal }).catch((error: unknown) => {
    csrfToken = undefined;
    throw error;
  });
  const { token, header } = await csrfToken;
  return token === null ? {} : { [header]: token };
};

const post = async <Schema extends z.ZodType>(path: string, schema: Schema, options: Omit<RequestOptions, 'method'>): Promise<z.output<Schema>> => {
  const send = async () =>
    apiRequest(path, (json) => schema.safeParse(json), { ...options, method: 'POST', headers: { ...(await csrfHeaders(options.signal)), ...options.headers } });
  try {
    return await send();
  } catch (error) {
    // The session changed since the token was read (signed in again in another tab): once more with a fresh one.
    if (!(error instanceof ApiError) || error.code !== 'csrf_rejected') throw error;
    forgetCsrfToken();
    return send();
  }
};

/** GETs a JSON resource of the API and parses it with the contract's schema. */
export const apiGet = <Schema extends z.ZodType>(path: string, schema: Schema, { query, signal, timeoutMs }: ApiGetOptions = {}): Promise<z.output<Schema>> =>
  apiRequest(path, (json) => schema.safeParse(json), { method: 'GET', query, signal, timeoutMs });

/**
 * GETs a JSON resource of the API typed by the contract, without parsing it with the schema. Only for
 * the calls of the landing page's first route (who the person is, the dashboard's summary and first
 * page): it then loads no zod, about 30 kB of gzipped JavaScript and its start-up work (the goal of
 * issue 5's web benchmark). The API builds those answers from the same contract types.
 */
export const apiGetTyped = <T>(path: string, { query, signal, timeoutMs }: ApiGetOptions = {}): Promise<T> =>
  apiRequest(path, typed<T>, { method: 'GET', query, signal, timeoutMs });

/** POSTs JSON to the API and parses the answer with the contract's schema; a 400 keeps its field details. */
export const apiPost = <Schema extends z.ZodType>(
  path: string,
  body: unknown,
  schema: Schema,
  { headers, signal, timeoutMs }: ApiPostOptions = {},
): Promise<z.output<Schema>> => post(path, schema, { body, headers, signal, timeoutMs });

/** DELETEs a resource of the API (204 No Content), with the session's CSRF token as a POST sends it. */
export const apiDelete = async (path: string, { signal, timeoutMs }: Omit<ApiPostOptions, 'headers'> = {}): Promise<void> => {
  const send = async () =>
    apiRequest(path, () => ({ success: true as const, data: undefined }), { method: 'DELETE', signal, timeoutMs, headers: await csrfHeaders(signal) });
  try {
    await send();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'csrf_rejected') throw error;
    forgetCsrfToken();
    await send();
  }
};
