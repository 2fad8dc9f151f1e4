import { RotationRequest, SecretIdParams } from '@rotation-console/contracts';
import { Router } from 'express';
import { authorizeSecret } from '../../platform/auth.ts';
import { parseInput } from '../../platform/validation.ts';
import type { PlanService } from '../rotation/plan.service.ts';
import type { SecretRefReader } from '../rotation/secret-ref.ts';
import type { PreflightService } from './preflight.service.ts';

/** The preflight: for whoever may plan for the secret (it reads what the plan reads, and changes nothing). */
export const createPreflightRouter = ({ preflight, plans, secretRef }: { preflight: PreflightService; plans: PlanService; secretRef: SecretRefReader }) => {
  const router = Router();

  router.post('/api/v1/rotation-plans/preflight', async (req, res) => {
    const request = parseInput(RotationRequest, req.body, 'rotation request');
    // The plan's own rules first (the secret, the master, the owner of every resource the request
    // names): the preflight reads and invokes what the request names, so only what the caller may plan.
    await plans.plan(req.principal, request, 'rotation:plan');
    res.json(await preflight.forRequest(request));
  });

  router.post('/api/v1/secrets/:secretId/preflight', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    authorizeSecret(req.principal, 'rotation:plan', secretId, await secretRef(secretId));
    res.json(await preflight.forSecret(secretId));
  });

  return router;
};
