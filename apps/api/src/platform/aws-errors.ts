import { InputError, NotFoundError, UpstreamError } from './errors.ts';

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'Throttling', 'SlowDown']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const TIMED_OUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT', 'AbortError']);
const BAD_INPUT = new Set(['ValidationException', 'InvalidParameterException', 'InvalidParameterValue']);

/** AWS's own message, trimmed: it names the field or ARN at fault, never a secret value. */
const awsMessage = (e: SdkErrorShape) => (e.message ?? '').slice(0, 300);

/**
 * Translates an SDK error, by name, into one of the API's named errors at the AWS boundary,
 * so no raw SDK error or `$response` travels further.
 */
export const translateAwsError = (error: unknown, operation: string, subject?: string): Error => {
  const e = (error ?? {}) as SdkErrorShape;
  const name = e.name ?? 'Error';
  const code = e.code ?? '';
  const meta = { awsErrorName: name, ...(e.$metadata?.requestId ? { awsRequestId: e.$metadata.requestId } : {}) };

  if (name === 'ResourceNotFoundException') {
    return new NotFoundError({ message: subject ? `${subject} was not found.` : `${operation}: not found.` });
  }
  if (BAD_INPUT.has(name)) {
    return new InputError({ message: `AWS rejected ${operation}: ${awsMessage(e)}` });
  }
  if (THROTTLED.has(name) || e.$metadata?.httpStatusCode === 429) {
    return new UpstreamError({ kind: 'unavailable', message: `AWS is throttling ${operation}; try again shortly.`, ...meta, cause: error });
  }
  if (TIMED_OUT.has(name) || TIMED_OUT.has(code)) {
    return new UpstreamError({ kind: 'timeout', message: `AWS did not answer ${operation} in time.`, ...meta, cause: error });
  }
  if (UNREACHABLE.has(code) || UNREACHABLE.has(name)) {
    return new UpstreamError({ kind: 'unavailable', message: `Could not reach the AWS endpoint for ${operation} (${code || name}).`, ...meta, cause: error });
  }
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) {
    return new UpstreamError({ kind: 'unavailable', message: `AWS failed ${operation} (${name}, HTTP ${status}); try again shortly.`, ...meta, cause: error });
  }
  return new UpstreamError({ kind: 'error', message: `AWS refused ${operation}: ${name}${awsMessage(e) ? ` — ${awsMessage(e)}` : ''}`, ...meta, cause: error });
};

/** Runs one AWS call, translating its failure. */
export const callAws = async <T>(operation: string, call: () => Promise<T>, subject?: string): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(error, operation, subject);
  }
};
