import type { Health, PublicHealth } from '@rotation-console/contracts';
import { Router } from 'express';
import { ANONYMOUS_PRINCIPAL, authorize } from '../../platform/auth.ts';
import type { AwsProbeReader } from './health.probe.ts';

interface Deps {
  probe: AwsProbeReader;
  region: string;
  endpoint: string | undefined;
  version: string;
}

/**
 * Health answers 200 even when AWS is unreachable. Anyone may ask (load balancer probes) and
 * learns only up or down; a signed-in caller (with AUTH_MODE=local, every caller) also gets the
 * version, the AWS target, the account and what went wrong.
 */
export const createHealthRouter = ({ probe, region, endpoint, version }: Deps) => {
  const router = Router();
  router.get('/api/v1/health', async (req, res) => {
    authorize(req.principal, 'health:read', { type: 'service' });
    const found = await probe();
    if (req.principal.id === ANONYMOUS_PRINCIPAL.id) {
      const body: PublicHealth = { status: found.reachable ? 'ok' : 'unavailable' };
      res.json(body);
      return;
    }
    const target = { kind: endpoint ? 'emulator' : 'aws', endpoint: endpoint ?? null, region } as const;
    const body: Health = found.reachable
      ? { status: 'ok', version, aws: { ...target, accountId: found.accountId, reachable: true } }
      : { status: 'degraded', version, aws: { ...target, accountId: null, reachable: false, error: found.error } };
    res.json(body);
  });
  return router;
};
