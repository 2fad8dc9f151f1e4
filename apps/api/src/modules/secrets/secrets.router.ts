import { ListSecretsQuery, SecretIdParams, SecretRefreshRequest } from '@rotation-console/contracts';
import { Router } from 'express';
import { authorize, authorizeSecret, visibleTeams } from '../../platform/auth.ts';
import { sendSharedJson } from '../../platform/http.ts';
import { parseInput } from '../../platform/validation.ts';
import type { SecretsService } from './secrets.service.ts';

export const createSecretsRouter = ({ secrets }: { secrets: SecretsService }) => {
  const router = Router();

  router.get('/api/v1/secrets', async (req, res) => {
    const query = parseInput(ListSecretsQuery, req.query, 'query parameters');
    authorize(req.principal, 'secrets:list', { type: 'secrets' });
    // Filtered here, on the server: only the secrets of the teams the caller may see. A page is
    // kept until the index changes, and so is its JSON text.
    sendSharedJson(res, await secrets.list(query, visibleTeams(req.principal)));
  });

  // Whoever may list may refresh what they list: it reads AWS and changes only the console's index.
  router.post('/api/v1/secret-refreshes', async (req, res) => {
    const request = parseInput(SecretRefreshRequest, req.body, 'refresh request');
    authorize(req.principal, 'secrets:list', { type: 'secrets' });
    res.json(await secrets.refresh(request, visibleTeams(req.principal)));
  });

  router.get('/api/v1/secrets/:secretId', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    const record = await secrets.describe(secretId);
    authorizeSecret(req.principal, 'secrets:read', secretId, secrets.refOf(record));
    res.json(await secrets.detail(record));
  });

  return router;
};
