import { once } from 'node:events';
import { CalendarQuery, DashboardExportQuery, DashboardListQuery, SecretIdParams } from '@rotation-console/contracts';
import { Router } from 'express';
import { z } from 'zod';
import { authorize, authorizeSecret, visibleTeams, type Principal } from '../../platform/auth.ts';
import type { Logger } from '../../platform/logger.ts';
import { parseInput } from '../../platform/validation.ts';
import type { DashboardService } from './dashboard.service.ts';
import type { TimelineService } from './timeline.service.ts';

/** Whether a principal may read the log of a secret's rotation function (the ownership service decides). */
export type FunctionLogAccess = (principal: Principal, secret: { name: string; team: string | null }, functionArn: string | null) => Promise<boolean>;

interface Deps {
  dashboard: DashboardService;
  timeline: TimelineService;
  logger: Logger;
  functionLogAccess: FunctionLogAccess;
}

const NoQuery = z.strictObject({});

export const createDashboardRouter = ({ dashboard, timeline, logger, functionLogAccess }: Deps) => {
  const router = Router();

  router.get('/api/v1/dashboard/summary', async (req, res) => {
    parseInput(NoQuery, req.query, 'query parameters');
    authorize(req.principal, 'dashboard:read', { type: 'secrets' });
    res.json(await dashboard.summary(visibleTeams(req.principal)));
  });

  router.get('/api/v1/dashboard/secrets', async (req, res) => {
    const query = parseInput(DashboardListQuery, req.query, 'query parameters');
    authorize(req.principal, 'dashboard:read', { type: 'secrets' });
    res.json(await dashboard.list(query, visibleTeams(req.principal)));
  });

  router.get('/api/v1/dashboard/secrets.csv', async (req, res) => {
    const query = parseInput(DashboardExportQuery, req.query, 'query parameters');
    authorize(req.principal, 'dashboard:read', { type: 'secrets' });
    const { source, chunks } = await dashboard.exportCsv(query, visibleTeams(req.principal));
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="secrets.csv"');
    res.setHeader('X-Index-Source', source);
    // Streamed a chunk of rows at a time, waiting for the client to take each one.
    try {
      for await (const text of chunks) {
        if (res.destroyed) break;
        if (!res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
      res.end();
    } catch (error) {
      // The header is gone already: all that can be done is to cut the download short.
      logger.error({ requestId: req.id, err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'CSV export failed part-way');
      await chunks.return(undefined);
      res.destroy();
    }
  });

  router.get('/api/v1/dashboard/calendar', async (req, res) => {
    const query = parseInput(CalendarQuery, req.query, 'query parameters');
    authorize(req.principal, 'dashboard:read', { type: 'secrets' });
    res.json(await dashboard.calendar(query, visibleTeams(req.principal)));
  });

  router.get('/api/v1/secrets/:secretId/timeline', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    const record = await timeline.describe(secretId);
    const ref = timeline.refOf(record);
    authorizeSecret(req.principal, 'secrets:read', secretId, ref);
    const detail = await timeline.secret(record);
    res.json(await timeline.timeline(detail, { mayReadLogs: await functionLogAccess(req.principal, ref, detail.rotation.lambdaArn) }));
  });

  return router;
};
