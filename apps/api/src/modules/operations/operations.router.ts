import { OperationRequest, SecretIdParams } from '@rotation-console/contracts';
import { Router } from 'express';
import { parseInput } from '../../platform/validation.ts';
import { accepted, idempotencyKeyOf } from '../workflows/start-workflow.ts';
import type { OperationsService } from './operations.service.ts';

/** The four operations on a secret: parse, then the service authorizes and acts. */
export const createOperationsRouter = ({ operations }: { operations: OperationsService }) => {
  const router = Router();

  router.post('/api/v1/secrets/:secretId/operation-previews', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    const { operation } = parseInput(OperationRequest, req.body, 'operation request');
    res.json(await operations.preview(req.principal, secretId, operation));
  });

  router.post('/api/v1/secrets/:secretId/operations', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    const { operation, overrideFreeze } = parseInput(OperationRequest, req.body, 'operation request');
    const idempotencyKey = idempotencyKeyOf(req);
    accepted(res, await operations.start(req, secretId, operation, idempotencyKey, overrideFreeze));
  });

  return router;
};
