import type { ErrorCode } from '@rotation-console/contracts';

/** Codes the client adds to the API's own for failures that never reached (or never came back from) the API. */
export type ClientErrorCode = 'network_error' | 'timeout' | 'invalid_response';

export interface ApiErrorInit {
  status: number;
  code: ErrorCode | ClientErrorCode;
  message: string;
  requestId: string | null;
}

/** Every failed API call ends in one of these: HTTP status, error code, the API's message and its request id. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly requestId: string | null;

  constructor({ status, code, message, requestId }: ApiErrorInit) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

export const isNotFound = (error: unknown): boolean => isApiError(error) && error.status === 404;
