import type { ErrorCode, FieldError } from '@rotation-console/contracts';

/** Codes the client adds to the API's own for failures that never reached (or never came back from) the API. */
export type ClientErrorCode = 'network_error' | 'timeout' | 'invalid_response';

export interface ApiErrorInit {
  status: number;
  code: ErrorCode | ClientErrorCode;
  message: string;
  requestId: string | null;
  /** The API's field errors of a 400 (`error.details`), e.g. `function.functionName`. */
  details?: readonly FieldError[];
}

/** Every failed API call ends in one of these: HTTP status, error code, the API's message and its request id. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly requestId: string | null;
  readonly details: readonly FieldError[];

  constructor({ status, code, message, requestId, details = [] }: ApiErrorInit) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.details = details;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

export const isNotFound = (error: unknown): boolean => isApiError(error) && error.status === 404;

/** Not there, or not for this person (403): a page says the same for both, so it does not tell which secrets exist. */
export const isNotVisible = (error: unknown): boolean => isApiError(error) && (error.status === 404 || error.status === 403);

/** The field details of a failed call, when the API sent any. */
export const errorDetails = (error: unknown): readonly FieldError[] => (isApiError(error) ? error.details : []);
