import { AppError } from '../errors.ts';

/** No credentials, or credentials the API does not accept: 401 with code `unauthenticated`. */
export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthenticated';
}
