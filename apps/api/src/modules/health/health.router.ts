import type { Health } from '@rotation-console/contracts';
import { Router } from 'express';
import { authorize } from '../../platform/auth.ts';
import type { IdentityGateway } from './health.aws.ts';

interface Deps {
  identity: IdentityGateway;
  region: string;
  endpoint: string | undefined;
  version: string;
}

/** Health answers 200 even when AWS is unreachable: it reports the target and what went wrong. */
export const createHealthRouter = ({ identity, region, endpoint, version }: Deps) => {
  const router = Router();
  router.get('/api/v1/health', async (req, res) => {
    authorize(req.principal, 'health:read', { type: 'service' });
    const target = { kind: endpoint ? 'emulator' : 'aws', endpoint: endpoint ?? null, region } as const;
    let body: Health;
    try {
      body = { status: 'ok', version, aws: { ...target, accountId: await identity.accountId(), reachable: true } };
    } catch (error) {
      body = { status: 'degraded', version, aws: { ...target, accountId: null, reachable: false, error: (error as Error).message } };
    }
    res.json(body);
  });
  return router;
};
