import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { ensureEmulatorCredentials, harnessClients } from '@rotation-console/e2e/harness/aws.ts';
import { resetMoto } from '@rotation-console/e2e/harness/moto.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/platform/logger.ts';

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

/** The API in-process, talking to the test's moto server (or to `endpoint`). */
export const buildApi = (env: Record<string, string> = {}) => {
  const endpoint = env.AWS_ENDPOINT_URL ?? inject('motoEndpoint');
  const config = loadConfig({ AWS_REGION: 'us-east-1', ...env, AWS_ENDPOINT_URL: endpoint });
  const logs = captureLogs();
  const { app, aws } = createApp({ config, logger: logs.logger });
  return { app, aws, logs, endpoint };
};

export const motoEndpoint = () => inject('motoEndpoint');
export const aws = () => harnessClients(inject('motoEndpoint'));
export const reset = () => resetMoto(inject('motoEndpoint'));
