import { ConfigError, loadConfig } from './config.ts';
import { createApp } from './app.ts';
import { createLogger } from './platform/logger.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`rotation-console: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger(config.LOG_LEVEL);
const { app, aws } = createApp({ config, logger });
const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, aws: config.AWS_ENDPOINT_URL ?? 'aws' }, 'listening');
  // One plain line for people and for the start script, which waits for it.
  process.stdout.write(`API listening on http://${config.HOST}:${port}\n`);
});

const stop = () => {
  server.close(() => {
    aws.destroy();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
