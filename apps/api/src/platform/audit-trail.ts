import type { Request, RequestHandler } from 'express';
import type { Logger } from './logger.ts';
import type { AuditEntry, WorkflowStore } from './workflow/workflow-store.ts';

export interface AuditTrail {
  /** Records who (the request's principal unless given), from where (source IP, user agent) and when. Never throws. */
  record(req: Request, entry: Omit<AuditEntry, 'actor' | 'sourceIp' | 'userAgent'> & { actor?: AuditEntry['actor'] }): Promise<void>;
  /**
   * Records every refusal as it leaves: 403 (the policy, a CSRF check), 404 for what is outside the
   * caller's scope (answered as missing, errors.ts OutOfScopeError) and 401 for credentials that
   * were sent but not accepted.
   */
  denials: RequestHandler;
}

/** Where a request came from, as the audit log keeps it. */
export const origin = (req: Request) => ({ sourceIp: req.ip ?? null, userAgent: req.get('user-agent') ?? null });

/**
 * The audit log's writer for what is not a workflow (workflows write their own records in the
 * same transaction as the change): sign-ins, sign-outs and refusals. Only names, ids, codes
 * and paths go in: never a query string (an authorization code), a cookie or a token.
 */
export const createAuditTrail = ({ store, logger }: { store: WorkflowStore; logger: Logger }): AuditTrail => {
  const record: AuditTrail['record'] = async (req, entry) => {
    const principal = req.principal as { id: string; name: string } | undefined;
    try {
      await store.appendAudit({ ...entry, actor: entry.actor ?? { id: principal?.id ?? 'anonymous', name: principal?.name ?? 'Anonymous' }, ...origin(req) });
    } catch (error) {
      logger.error({ requestId: req.id, action: entry.action, err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'could not write an audit record');
    }
  };

  const denials: RequestHandler = (req, res, next) => {
    res.on('finish', () => {
      const code = res.locals.errorCode as string | undefined;
      const credentialsSent = req.headers.authorization !== undefined || res.locals.sessionCookieSent === true;
      const outOfScope = res.locals.outOfScope === true;
      const denied = res.statusCode === 403 || outOfScope || (res.statusCode === 401 && credentialsSent);
      if (!denied) return;
      void record(req, {
        action: res.statusCode === 401 ? 'access.unauthenticated' : 'access.denied',
        // The route, never its query string.
        subject: `${req.method} ${req.originalUrl.split('?')[0]!}`,
        outcome: 'denied',
        after: {
          status: res.statusCode,
          code: code ?? null,
          via: (res.locals.authVia as string | undefined) ?? (req.headers.authorization ? 'bearer' : 'session'),
          ...(outOfScope ? { reason: 'outside the caller\'s teams: answered as not found' } : {}),
        },
      });
    });
    next();
  };

  return { record, denials };
};
