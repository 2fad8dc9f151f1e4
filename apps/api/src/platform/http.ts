import { randomUUID } from 'node:crypto';
import type { ErrorBody } from '@rotation-console/contracts';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError, NotFoundError, OutOfScopeError, UpstreamError } from './errors.ts';
import type { Logger } from './logger.ts';

/** Gives every request an id, echoes it in `x-request-id`, and logs the outcome without bodies. */
export const requestContext =
  (logger: Logger): RequestHandler =>
  (req, res, next) => {
    req.id = randomUUID();
    res.setHeader('x-request-id', req.id);
    const started = performance.now();
    res.on('finish', () => {
      logger.info({ requestId: req.id, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
    });
    next();
  };

/** The API's answers are about live state and must never be cached. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

export const unknownApiRoute: RequestHandler = (req) => {
  throw new NotFoundError({ message: `No API route ${req.method} ${req.path}` });
};

const body = (req: { id: string }, code: ErrorBody['error']['code'], message: string, details?: ErrorBody['error']['details']): ErrorBody => ({
  error: { code, message, ...(details ? { details } : {}) },
  requestId: req.id,
});

/**
 * Maps named errors to status codes; anything else is a 500 with a generic message and the
 * request id (details go to the log only, so no 5xx echoes a stack, a query or an AWS answer).
 * Every error is `no-store`, also outside /api (the sign-in routes).
 */
export const errorMiddleware =
  (logger: Logger, { maxBodyBytes = 102_400 }: { maxBodyBytes?: number } = {}): ErrorRequestHandler =>
  (err: unknown, req, res, _next) => {
    res.setHeader('Cache-Control', 'no-store');
    // For the audit trail's record of a refusal (platform/audit-trail.ts).
    if (err instanceof AppError) res.locals.errorCode = err.code;
    if (err instanceof OutOfScopeError) res.locals.outOfScope = true;
    if (err instanceof AppError) {
      if (err instanceof UpstreamError) {
        logger.warn({ requestId: req.id, awsError: err.awsErrorName, awsRequestId: err.awsRequestId, code: err.code }, err.message);
      }
      res.status(err.status).json(body(req, err.code, err.message, err.details));
      return;
    }
    // Express's body parser reports bad JSON and oversized bodies with a status of its own.
    const status = (err as { status?: number }).status;
    if (status === 413) {
      res.status(413).json(body(req, 'too_large', `The request body is larger than the ${Math.round(maxBodyBytes / 1024)} KiB this API accepts.`));
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json(body(req, 'invalid_input', 'Malformed request body: send JSON with Content-Type: application/json.'));
      return;
    }
    logger.error({ requestId: req.id, err: { name: (err as Error)?.name, stack: (err as Error)?.stack } }, 'unhandled error');
    res.status(500).json(body(req, 'internal', 'Something went wrong on our side. Quote the request id when reporting it.'));
  };

/** The JSON text of answers kept in memory and sent again and again (index-reader.ts `cached`), written once each. */
const jsonTexts = new WeakMap<object, string>();

/**
 * res.json for an answer that many requests share unchanged (a page of the Secrets list kept until
 * the index changes): its text is made once, not per request. The answer must never be changed after.
 */
export const sendSharedJson = (res: Response, answer: object): void => {
  let text = jsonTexts.get(answer);
  if (text === undefined) {
    text = JSON.stringify(answer);
    jsonTexts.set(answer, text);
  }
  res.type('json').send(text);
};
