import { AuditQuery, type AuditPage } from '@rotation-console/contracts';
import { Router } from 'express';
import { authorize } from '../../platform/auth.ts';
import { parseInput } from '../../platform/validation.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';

/** GET /api/v1/audit: the audit log for admins, newest first, filtered and paged. */
export const createAuditRouter = ({ store }: { store: WorkflowStore }) => {
  const router = Router();

  router.get('/api/v1/audit', async (req, res) => {
    authorize(req.principal, 'audit:read', { type: 'service' });
    const query = parseInput(AuditQuery, req.query, 'audit query');
    const page = await store.listAudit({
      actor: query.actor,
      action: query.action,
      subjectContains: query.subject,
      outcome: query.outcome,
      // Stored times are UTC ISO text: a time with an offset is turned into UTC before comparing.
      from: query.from === undefined ? undefined : new Date(query.from).toISOString(),
      to: query.to === undefined ? undefined : new Date(query.to).toISOString(),
      limit: query.limit,
      cursor: query.cursor ?? null,
    });
    const body: AuditPage = page;
    res.json(body);
  });

  return router;
};
