import type { Kysely } from 'kysely';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { readFunctionLog } from '../../platform/aws-function-logs.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import type { TargetRegistry } from '../../platform/targets/target-registry.ts';
import type { WorkflowEvents } from '../../platform/workflow/events.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { LastRotationEvidenceService } from '../secrets/last-rotation.ts';
import { createSecretsGateway } from '../secrets/secrets.aws.ts';
import { createIndexSource } from './crawl.aws.ts';
import { IndexCrawler } from './crawler.ts';
import { createDashboardRouter, type FunctionLogAccess } from './dashboard.router.ts';
import { createDashboardService } from './dashboard.service.ts';
import { createRowWarnings } from '../freeze/freeze-warnings.ts';
import type { FreezeService } from '../freeze/freeze.service.ts';
import { createIndexReader } from './index-reader.ts';
import { SecretIndexStore } from './index-store/secret-index-store.ts';
import { createTimelineService } from './timeline.service.ts';

interface Deps {
  db: Kysely<Database>;
  /** The account-regions the index covers. */
  targets: TargetRegistry;
  /** INDEX_TARGETS_AT_ONCE. */
  targetsAtOnce: number;
  /** INDEX_LEASE_MS. */
  leaseMs: number;
  clients: AwsClientFactory;
  logger: Logger;
  store: WorkflowStore;
  /** The workflow runner's events: a finished step or workflow re-indexes its secret at once. */
  events: WorkflowEvents;
  teamTagKey: string;
  engineTagKey: string;
  refreshMs: number;
  /** Who may read a rotation function's log for a secret (ownership: the secret's and the function's). */
  functionLogAccess: FunctionLogAccess;
  /** The verdicts on last rotations from the functions' logs (secrets/last-rotation.ts). */
  lastRotation: LastRotationEvidenceService;
  /** The teams' freeze windows: a list row whose next rotation falls in one says so. */
  freeze?: Pick<FreezeService, 'windowsOf'>;
}

/**
 * The rotation status dashboard: the index of every secret (a table in the console's
 * database), the crawl that fills it, and the routes that read it (the Secrets list and the
 * portal read it too, through `reader` and `index`). The crawl is started by
 * server.ts (`crawler.start()`), not here, so tests and tools choose when it runs.
 */
export const createDashboard = ({
  db,
  targets,
  targetsAtOnce,
  leaseMs,
  clients,
  logger,
  store,
  events,
  teamTagKey,
  engineTagKey,
  refreshMs,
  functionLogAccess,
  lastRotation,
  freeze,
}: Deps) => {
  const index = new SecretIndexStore(db);
  const source = createIndexSource(clients);
  const tagKeys = { team: teamTagKey, engine: engineTagKey };
  const crawler = new IndexCrawler({ store: index, source, targets, targetsAtOnce, leaseMs, lastRotation, db, tagKeys, logger, refreshMs });
  crawler.subscribe(events);
  const reader = createIndexReader({ store: index, source, lastRotation, tagKeys });
  const service = createDashboardService({ store: index, reader, ...(freeze ? { freezeWarnings: (at: Date) => createRowWarnings(freeze, at) } : {}) });
  const timeline = createTimelineService({
    gateway: createSecretsGateway(clients),
    lastRotation,
    logs: (functionName, since, max) => readFunctionLog(clients, functionName, since, max),
    store,
    teamTagKey,
  });
  return { index, reader, crawler, service, lastRotation, router: createDashboardRouter({ dashboard: service, timeline, logger, functionLogAccess }) };
};
export type Dashboard = ReturnType<typeof createDashboard>;
