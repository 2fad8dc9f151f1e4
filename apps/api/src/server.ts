import path from 'node:path';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createDatabase } from './platform/db/database.ts';
import { createApiServer } from './platform/http-server.ts';
import { migrateToLatest } from './platform/db/migrations.ts';
import { createLogger } from './platform/logger.ts';
import { AccountsConfigError } from './platform/targets/accounts-config.ts';
import type { TargetsSource } from './platform/targets/target-registry.ts';
import { targetsSourceOf } from './platform/targets/targets-source.ts';
import { loadTeams, TeamsConfigError, type Teams } from './platform/teams-config.ts';

let config: Config;
let teams: Teams;
let targetsSource: TargetsSource;
try {
  config = loadConfig();
  teams = loadTeams(config.TEAMS_CONFIG);
  targetsSource = targetsSourceOf(config);
} catch (error) {
  if (error instanceof ConfigError || error instanceof TeamsConfigError || error instanceof AccountsConfigError) {
    console.error(`rotation-console: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger(config.LOG_LEVEL);
const database = createDatabase({ url: config.DATABASE_URL, sqlitePath: path.join(config.DATA_DIR, 'console.sqlite') });
await migrateToLatest(database.db);
const { app, aws, runner, dashboard, batchDispatcher, events, alerts } = createApp({ config, logger, database, teams, targetsSource });

const server = createApiServer(app, { logger }).listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, aws: config.AWS_ENDPOINT_URL ?? 'aws', database: database.dialect }, 'listening');
  // One plain line for people and for the start script, which waits for it.
  process.stdout.write(`API listening on http://${config.HOST}:${port}\n`);
  // The dashboard's index: a crawl of ListSecrets now, then every INDEX_REFRESH_MS (in the background).
  dashboard.crawler.start();
  // Rotation events: the queue's events update the index within seconds (the crawl stays the backstop).
  if (config.EVENTS === 'on' || config.EVENTS_QUEUE_URL) {
    events.consumer.start();
    logger.info({ queueUrl: config.EVENTS_QUEUE_URL ?? 'the events setup\u2019s queue' }, 'events consumer started');
  }
  // Alerts: every secret evaluated now and every ALERTS_EVALUATE_MS; the outbox sent every ALERTS_DISPATCH_MS.
  alerts.start();
});

// Workflows this process (or one that died) left unfinished carry on; the sweep also
// picks up those whose runner stopped renewing its lease.
await runner.resumeUnfinished();
runner.startSweeping(config.WORKFLOW_LEASE_MS);
// Batches go on too: their items whose turn came while no process looked start now.
await batchDispatcher.resume();
setInterval(() => void batchDispatcher.resume().catch(() => undefined), config.WORKFLOW_LEASE_MS).unref();

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close();
  batchDispatcher.stop();
  void Promise.all([runner.stop({ graceMs: 5000 }), dashboard.crawler.stop(), events.stop(), alerts.stop()]).finally(async () => {
    aws.destroy();
    await database.destroy();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 8000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
