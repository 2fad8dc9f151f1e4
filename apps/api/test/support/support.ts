import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import express, { type Express } from 'express';
import request from 'supertest';
import { inject } from 'vitest';
import { EMULATOR_AWS_TIMEOUT_MS, ensureEmulatorCredentials, harnessClients } from '@rotation-console/harness/aws.ts';
import { resetMoto } from '@rotation-console/harness/moto.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrations.ts';
import { createLogger } from '../../src/platform/logger.ts';

ensureEmulatorCredentials();

/** Everything the API logged during a test, to check what never reaches a log line. */
export const captureLogs = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger('debug', stream) };
};

/**
 * The API in-process, talking to the test's moto server (or to `endpoint`), with its own
 * SQLite store in a temporary folder (or the PostgreSQL of DATABASE_URL).
 */
export const buildApi = async (env: Record<string, string> = {}) => {
  const endpoint = env.AWS_ENDPOINT_URL ?? inject('motoEndpoint');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rc-api-'));
  const config = loadConfig({
    AWS_REGION: 'us-east-1',
    AWS_TIMEOUT_MS: EMULATOR_AWS_TIMEOUT_MS,
    DATA_DIR: dataDir,
    WORKFLOW_POLL_MS: '50',
    WORKFLOW_RETRY_BASE_MS: '20',
    ...env,
    AWS_ENDPOINT_URL: endpoint,
  });
  const database = createDatabase({ url: config.DATABASE_URL, sqlitePath: path.join(config.DATA_DIR, 'console.sqlite') });
  await migrateToLatest(database.db);
  const logs = captureLogs();
  const { app: bareApp, aws, runner, store, dashboard, targets, batchDispatcher } = createApp({ config, logger: logs.logger, database });
  const app = config.AUTH_MODE === 'local' ? await withCsrfToken(bareApp) : bareApp;
  const close = async () => {
    batchDispatcher.stop();
    await runner.stop({ graceMs: 1000 });
    aws.destroy();
    await database.destroy();
  };
  return { app, bareApp, aws, runner, store, dashboard, targets, batchDispatcher, logs, endpoint, database, config, close };
};

/**
 * With AUTH_MODE=local every change needs the CSRF token of GET /api/v1/csrf-token (its cookie and
 * its header), which the web app sends on every POST. The app the tests call sends them as the web
 * app does, on every request that brings no token of its own; `bareApp` is the app as a request
 * forged on another site meets it (hardening.test.ts).
 */
const withCsrfToken = async (app: Express): Promise<Express> => {
  const answer = await request(app).get('/api/v1/csrf-token');
  const { token, header } = answer.body as { token: string; header: string };
  const cookie = ([answer.headers['set-cookie'] ?? []].flat() as string[]).map((c) => c.split(';')[0]!).join('; ');
  const client = express();
  client.disable('x-powered-by');
  client.use((req, _res, next) => {
    if (req.headers[header] === undefined) {
      req.headers[header] = token;
      req.headers.cookie = req.headers.cookie ? `${req.headers.cookie}; ${cookie}` : cookie;
    }
    next();
  });
  client.use(app);
  return client;
};

export const motoEndpoint = () => inject('motoEndpoint');
export const aws = () => harnessClients(inject('motoEndpoint'));
export const reset = () => resetMoto(inject('motoEndpoint'));
