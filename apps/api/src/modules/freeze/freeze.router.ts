import { FreezeTeamParams, FreezeWindowParams, NewFreezeWindow } from '@rotation-console/contracts';
import { Router } from 'express';
import type { AuditTrail } from '../../platform/audit-trail.ts';
import { parseInput } from '../../platform/validation.ts';
import type { FreezeService } from './freeze.service.ts';

/** A team's freeze windows: read, add, remove (the portal's scope: the team's operators and admins). */
export const createFreezeRouter = ({ freeze, audit }: { freeze: FreezeService; audit: Pick<AuditTrail, 'record'> }) => {
  const router = Router();

  router.get('/api/v1/teams/:team/freeze-windows', async (req, res) => {
    const { team } = parseInput(FreezeTeamParams, req.params, 'team');
    res.json(await freeze.list(req.principal, team));
  });

  router.post('/api/v1/teams/:team/freeze-windows', async (req, res) => {
    const { team } = parseInput(FreezeTeamParams, req.params, 'team');
    const input = parseInput(NewFreezeWindow, req.body, 'freeze window');
    const window = await freeze.add(req.principal, team, input);
    await audit.record(req, {
      action: 'freeze-window.add',
      subject: `team ${team}`,
      after: { id: window.id, name: window.name, reason: window.reason ?? null, when: window.when },
      outcome: 'succeeded',
    });
    res.status(201).json(window);
  });

  router.delete('/api/v1/teams/:team/freeze-windows/:windowId', async (req, res) => {
    const { team, windowId } = parseInput(FreezeWindowParams, req.params, 'freeze window');
    const removed = await freeze.remove(req.principal, team, windowId);
    await audit.record(req, {
      action: 'freeze-window.remove',
      subject: `team ${team}`,
      before: { id: removed.id, name: removed.name, when: removed.when },
      outcome: 'succeeded',
    });
    res.status(204).end();
  });

  return router;
};
