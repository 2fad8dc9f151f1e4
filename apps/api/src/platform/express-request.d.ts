import type { Principal } from './auth.ts';

// What the console's middleware adds to every request.
declare global {
  namespace Express {
    interface Request {
      /** Set by requestContext; echoed as x-request-id and in every error body. */
      id: string;
      /** Set by the authentication middleware; every route authorizes with it. */
      principal: Principal;
    }
  }
}
