import { BatchIdParams, BatchListQuery, BatchRequest, BatchStartRequest } from '@rotation-console/contracts';
import { Router } from 'express';
import { authorize } from '../../platform/auth.ts';
import { parseInput } from '../../platform/validation.ts';
import { idempotencyKeyOf } from '../workflows/start-workflow.ts';
import type { BatchesService } from './batches.service.ts';

/**
 * Many secrets at once. Planning and starting need an operator or an admin; then every secret is
 * decided on its own by the policy (its team), and those refused are named in the plan.
 */
export const createBatchesRouter = ({ batches }: { batches: BatchesService }) => {
  const router = Router();

  router.post('/api/v1/batches/preview', async (req, res) => {
    const request = parseInput(BatchRequest, req.body, 'batch request');
    authorize(req.principal, 'rotation:plan', { type: 'service' });
    res.json(await batches.preview(req.principal, request));
  });

  // With `previewId`: the plan that preview kept (batches.service.ts); without it, planned again.
  // The Idempotency-Key is read as every request that starts work reads it: the same key, the same batch.
  router.post('/api/v1/batches', async (req, res) => {
    const request = parseInput(BatchStartRequest, req.body, 'batch request');
    const idempotencyKey = idempotencyKeyOf(req);
    authorize(req.principal, 'rotation:plan', { type: 'service' });
    const accepted = await batches.start(req, request, idempotencyKey);
    res.status(202).location(accepted.location).json(accepted);
  });

  router.get('/api/v1/batches', async (req, res) => {
    const query = parseInput(BatchListQuery, req.query, 'query parameters');
    authorize(req.principal, 'workflows:read', { type: 'secrets' });
    res.json(await batches.list(req.principal, query));
  });

  router.get('/api/v1/batches/:batchId', async (req, res) => {
    const { batchId } = parseInput(BatchIdParams, req.params, 'batch id');
    authorize(req.principal, 'workflows:read', { type: 'secrets' });
    res.json(await batches.get(req.principal, batchId));
  });

  return router;
};
