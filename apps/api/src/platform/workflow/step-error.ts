/**
 * What a step throws when it wants to say more than a message: whether to retry, AWS's
 * request id, and what it found (stored as the failed step's output, e.g. a diagnosis).
 */
export class StepError extends Error {
  readonly retryable: boolean;
  readonly awsRequestId: string | undefined;
  readonly output: Record<string, unknown> | undefined;
  constructor(options: { message: string; retryable?: boolean; awsRequestId?: string | undefined; output?: Record<string, unknown>; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.name = 'StepError';
    this.retryable = options.retryable ?? false;
    this.awsRequestId = options.awsRequestId;
    this.output = options.output;
  }
}

/** The output a failing step left for people to read, if any. */
export const errorOutput = (error: unknown): Record<string, unknown> | null => (error instanceof StepError && error.output ? error.output : null);

/**
 * Worth another try: anything marked `retryable: true` (StepError, or an UpstreamError-like
 * error for throttling or 5xx), and AWS SDK errors the SDK itself flags as transient
 * (`$retryable`), which outlived the SDK's own few quick retries.
 */
const TRANSIENT_NAMES = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|ServiceUnavailable|InternalFailure|InternalError|RequestTimeout|TimeoutError/;

export const isRetryable = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { retryable?: unknown; $retryable?: unknown; name?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.retryable === true) return true;
  if (e.retryable === false) return false;
  if (typeof e.$retryable === 'object' && e.$retryable !== null) return true;
  // An SDK error a step let through untranslated: throttling and 5xx are worth another try.
  const status = e.$metadata?.httpStatusCode;
  return (typeof status === 'number' && (status === 429 || status >= 500)) || (typeof e.name === 'string' && TRANSIENT_NAMES.test(e.name));
};

const MAX_ERROR_LENGTH = 2000;

/** The message to store and show. Steps must never put a secret value into an error message. */
export const errorText = (error: unknown): string => {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}...` : text;
};

export const errorAwsRequestId = (error: unknown): string | null => {
  if (typeof error !== 'object' || error === null) return null;
  const own = (error as { awsRequestId?: unknown }).awsRequestId;
  if (typeof own === 'string') return own;
  const sdk = (error as { $metadata?: { requestId?: unknown } }).$metadata?.requestId;
  return typeof sdk === 'string' ? sdk : null;
};
