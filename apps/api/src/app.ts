import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Config } from './config.ts';
import { createHealthRouter } from './modules/health/health.router.ts';
import { createIdentityGateway } from './modules/health/health.aws.ts';
import { createOpenApiRouter } from './modules/openapi/openapi.router.ts';
import { createSecretsGateway } from './modules/secrets/secrets.aws.ts';
import { createSecretsRouter } from './modules/secrets/secrets.router.ts';
import { createSecretsService } from './modules/secrets/secrets.service.ts';
import { localPrincipal } from './platform/auth.ts';
import { createAwsClientFactory, type AwsClientFactory } from './platform/aws.ts';
import { errorMiddleware, noStore, requestContext, unknownApiRoute } from './platform/http.ts';
import type { Logger } from './platform/logger.ts';

export const VERSION = '0.1.0';

interface AppDeps {
  config: Config;
  logger: Logger;
  aws?: AwsClientFactory;
}

/** Builds the Express app without listening, so tests run it in-process on port 0. */
export const createApp = ({ config, logger, aws }: AppDeps) => {
  const clients =
    aws ??
    createAwsClientFactory({
      region: config.AWS_REGION,
      endpoint: config.AWS_ENDPOINT_URL,
      timeoutMs: config.AWS_TIMEOUT_MS,
      maxAttempts: config.AWS_MAX_ATTEMPTS,
    });

  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(logger));
  app.use('/api', noStore, express.json({ limit: '100kb' }));
  app.use(localPrincipal);

  app.use(createOpenApiRouter({ version: VERSION }));
  app.use(
    createHealthRouter({
      identity: createIdentityGateway(clients),
      region: config.AWS_REGION,
      endpoint: config.AWS_ENDPOINT_URL,
      version: VERSION,
    }),
  );
  app.use(createSecretsRouter({ secrets: createSecretsService({ gateway: createSecretsGateway(clients), teamTagKey: config.TEAM_TAG_KEY }) }));
  app.use('/api', unknownApiRoute);

  if (config.WEB_DIST && existsSync(config.WEB_DIST)) {
    const dist = path.resolve(config.WEB_DIST);
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    // The SPA owns every other GET: the router in the browser draws the page.
    app.get('/{*path}', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(dist, 'index.html'));
    });
  }

  app.use(errorMiddleware(logger));
  return { app, aws: clients };
};
