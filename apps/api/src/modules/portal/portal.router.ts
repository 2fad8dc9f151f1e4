import { PortalQuery } from '@rotation-console/contracts';
import { Router } from 'express';
import { authorize } from '../../platform/auth.ts';
import { parseInput } from '../../platform/validation.ts';
import type { PortalService } from './portal.service.ts';

export const createPortalRouter = ({ portal }: { portal: PortalService }) => {
  const router = Router();

  router.get('/api/v1/portal', async (req, res) => {
    const query = parseInput(PortalQuery, req.query, 'query parameters');
    // Anyone who may list secrets may ask; the answer holds only the teams whose secrets they may change.
    authorize(req.principal, 'secrets:list', { type: 'secrets' });
    res.json(await portal.portal(req.principal, query.team, { accountId: query.account, region: query.region }));
  });

  return router;
};
