import { ErrorBody, type FieldError } from '@rotation-console/contracts';
import type { z } from 'zod';
import { apiUrl, REQUEST_TIMEOUT_MS } from '../../../lib/api-client.ts';
import { ApiError, type ApiErrorInit } from '../../../lib/api-error.ts';

/** An ApiError that also carries the API's field details (`error.details`), e.g. `function.functionName`. */
export class RotationApiError extends ApiError {
  readonly details: readonly FieldError[];

  constructor({ details = [], ...init }: ApiErrorInit & { details?: readonly FieldError[] }) {
    super(init);
    this.details = details;
  }
}

/** The field details of a failed call, when the API sent any. */
export const errorDetails = (error: unknown): readonly FieldError[] => (error instanceof RotationApiError ? error.details : []);

export interface ApiPostOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const errorFromResponse = async (response: Response): Promise<RotationApiError> => {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page): fall through to the generic message.
  }
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) {
    return new RotationApiError({
      status: response.status,
      code: parsed.data.error.code,
      message: parsed.data.error.message,
      requestId: parsed.data.requestId,
      details: parsed.data.error.details ?? [],
    });
  }
  return new RotationApiError({
    status: response.status,
    code: response.status === 404 ? 'not_found' : 'internal',
    message: `The API answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    requestId: response.headers.get('x-request-id'),
  });
};

/**
 * POSTs JSON to the API and parses the answer with the contract's schema. Fails like `apiGet` (status,
 * code, message, request id) and keeps the field details of a 400, so the wizard can point at the field.
 */
export const apiPost = async <Schema extends z.ZodType>(
  path: string,
  body: unknown,
  schema: Schema,
  { headers = {}, signal, timeoutMs = REQUEST_TIMEOUT_MS }: ApiPostOptions = {},
): Promise<z.output<Schema>> => {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;

  let response: Response;
  try {
    response = await fetch(apiUrl(path), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      signal: combined,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timeout.aborted) {
      throw new RotationApiError({ status: 0, code: 'timeout', message: 'The API did not answer in time.', requestId: null });
    }
    throw new RotationApiError({ status: 0, code: 'network_error', message: 'Could not reach the API.', requestId: null });
  }

  if (!response.ok) throw await errorFromResponse(response);

  const requestId = response.headers.get('x-request-id');
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new RotationApiError({ status: response.status, code: 'invalid_response', message: 'The API answered with a body that is not JSON.', requestId });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new RotationApiError({
      status: response.status,
      code: 'invalid_response',
      message: 'The API answered with data this console does not understand.',
      requestId,
    });
  }
  return parsed.data;
};
