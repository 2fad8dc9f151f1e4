import type { Request, RequestHandler } from 'express';
import { ANONYMOUS_PRINCIPAL } from './auth.ts';
import type { Logger } from './logger.ts';
import type { AuditEntry, WorkflowStore } from './workflow/workflow-store.ts';

export interface AuditTrail {
  /** Records who (the request's principal unless given), from where (source IP, user agent) and when. Never throws. */
  record(req: Request, entry: Omit<AuditEntry, 'actor' | 'sourceIp' | 'userAgent'> & { actor?: AuditEntry['actor'] }): Promise<void>;
  /**
   * Records every refusal as it leaves: 403 (the policy, a CSRF check), 404 for what is outside the
   * caller's scope (answered as missing, errors.ts OutOfScopeError) and 401 for credentials that
   * were sent but not accepted (those counted: one record per source address and minute).
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
      logger.error(
        { requestId: req.id, action: entry.action, err: { name: (error as Error)?.name, message: (error as Error)?.message } },
        'could not write an audit record',
      );
    }
  };

  /**
   * A 401 is anyone's to cause (no credentials needed, any path): one record per source address
   * per minute, counting them, so a flood of bogus tokens adds one row a minute per address.
   */
  const countUnauthenticated = async (req: Request, entry: Omit<AuditEntry, 'actor' | 'sourceIp' | 'userAgent'>) => {
    const from = origin(req);
    const minute = new Date().toISOString().slice(0, 16);
    try {
      await store.countAudit(`unauthenticated:${minute}:${from.sourceIp ?? 'unknown'}`, {
        ...entry,
        actor: { id: ANONYMOUS_PRINCIPAL.id, name: ANONYMOUS_PRINCIPAL.name },
        ...from,
      });
    } catch (error) {
      logger.error(
        { requestId: req.id, action: entry.action, err: { name: (error as Error)?.name, message: (error as Error)?.message } },
        'could not write an audit record',
      );
    }
  };

  const denials: RequestHandler = (req, res, next) => {
    res.on('finish', () => {
      const code = res.locals.errorCode as string | undefined;
      const credentialsSent = req.headers.authorization !== undefined || res.locals.sessionCookieSent === true;
      const outOfScope = res.locals.outOfScope === true;
      const denied = res.statusCode === 403 || outOfScope || (res.statusCode === 401 && credentialsSent);
      if (!denied) return;
      const entry = {
        action: res.statusCode === 401 ? 'access.unauthenticated' : 'access.denied',
        // The route, never its query string (cut to AUDIT_SUBJECT_MAX where it is stored).
        subject: `${req.method} ${req.originalUrl.split('?')[0]!}`,
        outcome: 'denied',
        after: {
          status: res.statusCode,
          code: code ?? null,
          via: (res.locals.authVia as string | undefined) ?? (req.headers.authorization ? 'bearer' : 'session'),
          ...(outOfScope ? { reason: "outside the caller's teams: answered as not found" } : {}),
          ...(res.statusCode === 401 ? { counted: 'every refusal of this address in this minute; this is the first' } : {}),
        },
      };
      void (res.statusCode === 401 ? countUnauthenticated(req, entry) : record(req, entry));
    });
    next();
  };

  return { record, denials };
};
