import { FunctionsQuery, FunctionUpdateRequest } from '@rotation-console/contracts';
import { Router } from 'express';
import { authorize } from '../../platform/auth.ts';
import { parseInput } from '../../platform/validation.ts';
import { accepted, idempotencyKeyOf } from '../workflows/start-workflow.ts';
import type { FunctionsService } from './functions.service.ts';

/** The Functions page and the Update of the console's function: parse, then the service authorizes each function and acts. */
export const createFunctionsRouter = ({ functions }: { functions: FunctionsService }) => {
  const router = Router();

  router.get('/api/v1/functions', async (req, res) => {
    const query = parseInput(FunctionsQuery, req.query, 'query parameters');
    // Who sees which function is decided row by row (its owners); here: may the caller see any.
    authorize(req.principal, 'functions:list', { type: 'service' });
    res.json(await functions.page(req.principal, query));
  });

  router.post('/api/v1/function-update-previews', async (req, res) => {
    const request = parseInput(FunctionUpdateRequest, req.body, 'function update request');
    res.json(await functions.preview(req.principal, request));
  });

  router.post('/api/v1/function-updates', async (req, res) => {
    const request = parseInput(FunctionUpdateRequest, req.body, 'function update request');
    const idempotencyKey = idempotencyKeyOf(req);
    accepted(res, await functions.start(req, request, idempotencyKey));
  });

  return router;
};
