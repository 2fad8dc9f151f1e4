import { ListSecretsQuery, SecretIdParams } from '@rotation-console/contracts';
import { Router } from 'express';
import { authorize } from '../../platform/auth.ts';
import { parseInput } from '../../platform/validation.ts';
import type { SecretsService } from './secrets.service.ts';

export const createSecretsRouter = ({ secrets }: { secrets: SecretsService }) => {
  const router = Router();

  router.get('/api/v1/secrets', async (req, res) => {
    const query = parseInput(ListSecretsQuery, req.query, 'query parameters');
    authorize(req.principal, 'secrets:list', { type: 'secrets' });
    res.json(await secrets.list(query));
  });

  router.get('/api/v1/secrets/:secretId', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    const detail = await secrets.get(secretId);
    authorize(req.principal, 'secrets:read', { type: 'secret', name: detail.name, team: detail.team });
    res.json(detail);
  });

  return router;
};
