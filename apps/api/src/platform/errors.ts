import type { ErrorCode, FieldError } from '@rotation-console/contracts';
import type { ZodError } from 'zod';

interface AppErrorOptions {
  message: string;
  details?: FieldError[];
  cause?: unknown;
}

/** Base of the few named errors; the error middleware maps them to status codes. */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: ErrorCode;
  readonly details: FieldError[] | undefined;
  constructor({ message, details, cause }: AppErrorOptions) {
    super(message, { cause });
    this.name = new.target.name;
    this.details = details;
  }
}

export class InputError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_input';

  static fromZod(error: ZodError, what: string): InputError {
    const details = error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    return new InputError({
      message: `Invalid ${what}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
    });
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
}

/**
 * Something outside the caller's scope (another team's secret): answered exactly as a missing one
 * (404, the same message), so the answer does not tell that it exists; the audit log records it as
 * a refusal all the same (platform/audit-trail.ts).
 */
export class OutOfScopeError extends NotFoundError {}

export class NotAllowedError extends AppError {
  readonly status = 403;
  readonly code = 'not_allowed';
}

/** A cookie-session request whose CSRF token is missing or wrong (platform/identity/csrf.ts). */
export class CsrfError extends AppError {
  readonly status = 403;
  readonly code = 'csrf_rejected';
}

/** Too many requests from one address (the sign-in rate limit); the response carries Retry-After. */
export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly code = 'rate_limited';
}

/** A request whose Host header names another site (DNS rebinding, a wrong proxy): 421 Misdirected Request. */
export class MisdirectedError extends AppError {
  readonly status = 421;
  readonly code = 'misdirected_request';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
}

type UpstreamKind = 'error' | 'unavailable' | 'timeout';
const upstream: Record<UpstreamKind, { status: number; code: ErrorCode }> = {
  error: { status: 502, code: 'upstream_error' },
  unavailable: { status: 503, code: 'upstream_unavailable' },
  timeout: { status: 504, code: 'upstream_timeout' },
};

/** AWS failed, refused, or did not answer in time. The message says which, never what AWS returned in full. */
export class UpstreamError extends AppError {
  readonly status: number;
  readonly code: ErrorCode;
  readonly awsErrorName: string | undefined;
  readonly awsRequestId: string | undefined;
  constructor(options: AppErrorOptions & { kind: UpstreamKind; awsErrorName?: string; awsRequestId?: string }) {
    super(options);
    this.status = upstream[options.kind].status;
    this.code = upstream[options.kind].code;
    this.awsErrorName = options.awsErrorName;
    this.awsRequestId = options.awsRequestId;
  }

  /** Throttling, 5xx and timeouts pass; the workflow runner tries such a step again. */
  get retryable(): boolean {
    return this.code !== 'upstream_error';
  }
}
