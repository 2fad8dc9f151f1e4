import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express from 'express';
import type { Config } from './config.ts';
import { createBatchDispatcher } from './modules/batches/batch-dispatcher.ts';
import { createBatchPlanner } from './modules/batches/batch-planner.ts';
import { BatchPreviewStore } from './modules/batches/batch-preview-store.ts';
import { BatchStore } from './modules/batches/batch-store.ts';
import { createBatchPlanMemo } from './modules/batches/batch-plan-memo.ts';
import { createBatchesRouter } from './modules/batches/batches.router.ts';
import { createBatchesService } from './modules/batches/batches.service.ts';
import { createDashboard } from './modules/dashboard/dashboard.module.ts';
import { createFunctionListings } from './modules/functions/function-listings.ts';
import { createFunctionsGateway } from './modules/functions/functions.aws.ts';
import { createFunctionsRouter } from './modules/functions/functions.router.ts';
import { createFunctionsService } from './modules/functions/functions.service.ts';
import { createFreezeGate } from './modules/freeze/freeze-gate.ts';
import { createFreezeRouter } from './modules/freeze/freeze.router.ts';
import { createFreezeService } from './modules/freeze/freeze.service.ts';
import { createHealthRouter } from './modules/health/health.router.ts';
import { createIdentityGateway } from './modules/health/health.aws.ts';
import { createAwsProbe } from './modules/health/health.probe.ts';
import { createOpenApiRouter } from './modules/openapi/openapi.router.ts';
import { createOperationsGateway } from './modules/operations/operations.aws.ts';
import { createOperationsRouter } from './modules/operations/operations.router.ts';
import { createMasterGrants } from './modules/operations/master-grants.aws.ts';
import { createOperationsService } from './modules/operations/operations.service.ts';
import { createPortalRouter } from './modules/portal/portal.router.ts';
import { createPortalService } from './modules/portal/portal.service.ts';
import { registerOperationSteps } from './modules/operations/register-steps.ts';
import { createDiscoveryGateway } from './modules/rotation/discovery.aws.ts';
import { createFunctionArtifact } from './modules/rotation/function-artifact.ts';
import { createFunctionSourceResolver } from './modules/rotation/function-source.ts';
import { createMasterCandidatesService } from './modules/rotation/master-candidates.service.ts';
import { createNetworkService } from './modules/rotation/network.service.ts';
import { createPlanService } from './modules/rotation/plan.service.ts';
import { createRotationRouter } from './modules/rotation/rotation.router.ts';
import { createSecretCheckService } from './modules/rotation/secret-check.service.ts';
import { createRotationSteps } from './modules/rotation/steps/registry.ts';
import { readFunctionLog } from './platform/aws-function-logs.ts';
import { createLastRotationEvidence } from './modules/secrets/last-rotation.ts';
import { createSecretsGateway } from './modules/secrets/secrets.aws.ts';
import { createSecretsRouter } from './modules/secrets/secrets.router.ts';
import { createSecretsService } from './modules/secrets/secrets.service.ts';
import { createWorkflowAdmission } from './modules/workflows/workflow-admission.ts';
import { createWorkflowsRouter } from './modules/workflows/workflows.router.ts';
import { createWorkflowStarter } from './modules/workflows/start-workflow.ts';
import { createOwnershipGateway } from './modules/ownership/ownership.aws.ts';
import { createOwnershipService } from './modules/ownership/ownership.service.ts';
import { createSecretRefReader } from './modules/rotation/secret-ref.ts';
import { createAwsClientFactory, type AwsClientFactory } from './platform/aws.ts';
import { createServerlessRepoClient } from './platform/aws-serverlessrepo.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { createIdentity } from './platform/identity/identity.ts';
import { errorMiddleware, noStore, requestContext, unknownApiRoute } from './platform/http.ts';
import { createAuditTrail } from './platform/audit-trail.ts';
import { securityHeaders } from './platform/security-headers.ts';
import { hostCheck } from './platform/host-check.ts';
import { createAuditRouter } from './modules/audit/audit.router.ts';
import { createAlerts } from './modules/alerts/alerts.module.ts';
import { createAlertsRouter } from './modules/alerts/alerts.router.ts';
import { smtpFromConfig } from './modules/alerts/senders.ts';
import type { Logger } from './platform/logger.ts';
import { preflightRunners } from './modules/preflight/preflight-runners.ts';
import { createPreflightRouter } from './modules/preflight/preflight.router.ts';
import { createPreflightService } from './modules/preflight/preflight.service.ts';
import { createPreflightSubjects } from './modules/preflight/preflight-subject.aws.ts';
import { awsActorScope } from './platform/team-role.ts';
import { loadTeams, type Teams } from './platform/teams-config.ts';
import { createTargetRegistry, type TargetsSource } from './platform/targets/target-registry.ts';
import { targetsSourceOf } from './platform/targets/targets-source.ts';
import { currentTarget, runInTarget, targetOfRequest } from './platform/targets/target-scope.ts';
import { createSecretTargetResolver } from './modules/dashboard/secret-target.ts';
import { WorkflowRunner } from './platform/workflow/runner.ts';
import { WorkflowStore } from './platform/workflow/workflow-store.ts';
import { createEvents } from './modules/events/events.module.ts';
import { createEventsSetupGateway } from './modules/events/events.aws.ts';
import { registerEventsSetupSteps } from './modules/events/events-setup.ts';

export const VERSION = '0.1.0';

interface AppDeps {
  config: Config;
  logger: Logger;
  /** The console's own store, migrated. */
  database: DatabaseHandle;
  aws?: AwsClientFactory;
  /** The teams' settings (portal defaults, schedule limits); default: read from config.TEAMS_CONFIG. */
  teams?: Teams;
  /** Where the account-regions the console covers come from; default: from config (ACCOUNTS_CONFIG, ORGANIZATION_ROLE_NAME, FLEET_REGIONS). */
  targetsSource?: TargetsSource;
  /** Alerts' clock and the environment the teams file's channels read (tests); default: the real ones. */
  alertsOptions?: { now?: () => Date; env?: NodeJS.ProcessEnv };
}

/** Builds the Express app and its workflow runner without listening, so tests run it in-process on port 0. */
export const createApp = ({
  config,
  logger,
  database,
  aws,
  teams = loadTeams(config.TEAMS_CONFIG),
  targetsSource = targetsSourceOf(config),
  alertsOptions = {},
}: AppDeps) => {
  const clients =
    aws ??
    createAwsClientFactory({
      region: config.AWS_REGION,
      endpoint: config.AWS_ENDPOINT_URL,
      timeoutMs: config.AWS_TIMEOUT_MS,
      maxAttempts: config.AWS_MAX_ATTEMPTS,
    });
  const teamTagKey = config.TEAM_TAG_KEY;
  const targets = createTargetRegistry({ source: targetsSource, aws: clients, homeRegion: config.AWS_REGION, accountOwners: teams.accountOwners() });

  const serverlessRepo = createServerlessRepoClient(clients);
  const artifact = createFunctionArtifact();
  // Within one batch plan, the chosen function and the secrets that use it are read once, not once per secret;
  // the admissions of a batch's items read the function once per batch every few seconds.
  const batchPlanMemo = createBatchPlanMemo(() => currentTarget()?.key ?? 'home');
  const discovery = batchPlanMemo.discovery(createDiscoveryGateway(clients));
  const secretCheck = createSecretCheckService({ discovery });
  const network = createNetworkService({ discovery });
  const secretRef = createSecretRefReader(discovery, teamTagKey);
  const ownershipGateway = createOwnershipGateway(clients, teamTagKey);
  const ownership = createOwnershipService({ gateway: batchPlanMemo.ownership(ownershipGateway), teams });
  const functionSource = createFunctionSourceResolver({ setting: config.FUNCTION_SOURCE, serverlessRepo, logger });
  // Freeze windows: every workflow that would rotate a secret inside its team's open window is refused where it starts.
  const freeze = createFreezeService({ db: database.db, teams });
  const plans = createPlanService({
    discovery,
    secretCheck,
    network,
    ownership,
    secretRef,
    functionSource,
    artifact,
    teamTagKey,
    teams,
    freeze,
    ...(config.ARTIFACT_BUCKET ? { artifactBucket: config.ARTIFACT_BUCKET } : {}),
  });
  const store = new WorkflowStore(database.db);
  const runner = new WorkflowRunner({
    db: database.db,
    logger,
    // One registry: the rotation steps and the operations' steps (rotate now reuses watch-first-rotation).
    registry: registerEventsSetupSteps(
      registerOperationSteps(
        createRotationSteps({
          aws: clients,
          serverlessRepo,
          artifact,
          pacing: { pollMs: config.WORKFLOW_POLL_MS, waitTimeoutMs: config.WORKFLOW_WAIT_TIMEOUT_MS },
        }),
        { aws: clients, store },
      ),
      createEventsSetupGateway(clients),
    ),
    leaseMs: config.WORKFLOW_LEASE_MS,
    workflowConcurrency: config.WORKFLOW_CONCURRENCY,
    lockPollMs: config.WORKFLOW_POLL_MS,
    retry: { baseDelayMs: config.WORKFLOW_RETRY_BASE_MS, maxAttempts: config.WORKFLOW_RETRY_ATTEMPTS },
    // An update of a function (the Functions page) is admitted on the function's owners; the service exists once the index does.
    admit: createWorkflowAdmission({
      secretRef,
      teams,
      plans,
      functionOwners: (arn) => functions.functionOwners(arn),
      withinBatchAdmission: batchPlanMemo.withinBatchAdmission,
    }),
    targetOf: (subject) => targets.scopeFor(subject),
  });
  // The status dashboard's index; server.ts starts its crawl once the API listens.
  // One record of what the functions' logs said of last rotations: the list, the detail and the index read it.
  const lastRotation = createLastRotationEvidence({ db: database.db, logs: (functionName, since, max) => readFunctionLog(clients, functionName, since, max) });
  const dashboard = createDashboard({
    lastRotation,
    db: database.db,
    targets,
    targetsAtOnce: config.INDEX_TARGETS_AT_ONCE,
    leaseMs: config.INDEX_LEASE_MS,
    clients,
    logger,
    store,
    events: runner.events,
    teamTagKey,
    engineTagKey: config.ENGINE_TAG_KEY,
    refreshMs: config.INDEX_REFRESH_MS,
    functionLogAccess: (principal, secret, functionArn) => ownership.mayReadFunctionLog(principal, secret, functionArn, teamTagKey),
    freeze,
  });

  const freezeGate = createFreezeGate({ freeze, secretRef });
  const start = createWorkflowStarter({ store, runner, freeze: freezeGate });
  // Batches: each secret its own workflow, started by the dispatcher when its turn comes.
  const batchStore = new BatchStore(database.db);
  const batchDispatcher = createBatchDispatcher({
    batches: batchStore,
    store,
    runner,
    logger,
    // Outside a request: the secret's tags are read in its own account-region, as the runner reads them.
    freeze: async (principal, spec) => {
      const target = await targets.scopeFor(spec.subject);
      return target ? runInTarget(target, () => freezeGate(principal, spec)) : freezeGate(principal, spec);
    },
  });
  batchDispatcher.subscribe(runner.events);
  const functionsGateway = createFunctionsGateway(clients);
  const functions = createFunctionsService({
    targets,
    targetsAtOnce: config.INDEX_TARGETS_AT_ONCE,
    listings: createFunctionListings({ list: () => functionsGateway.listFunctions(), tagsOf: (arns) => ownershipGateway.functionTags(arns) }),
    gateway: functionsGateway,
    index: dashboard.index,
    reader: dashboard.reader,
    lastRotation,
    ownership,
    artifact,
    artifactBucket: config.ARTIFACT_BUCKET,
    store,
    start,
    teamTagKey,
  });
  functions.subscribe(runner.events);

  // Alerts to the secret's team (docs/alerts.md): whatever re-indexes secrets asks for an evaluation;
  // server.ts starts the periodic one (the backstop, the digest) and the outbox's dispatch.
  const alerts = createAlerts({
    db: database.db,
    index: dashboard.index,
    teams,
    targets,
    logs: (functionName, since, max) => readFunctionLog(clients, functionName, since, max),
    logger,
    settings: {
      publicUrl: config.PUBLIC_URL,
      evaluateMs: config.ALERTS_EVALUATE_MS,
      dispatchMs: config.ALERTS_DISPATCH_MS,
      ratePerMinute: config.ALERTS_RATE_PER_MINUTE,
      retryBaseMs: config.ALERTS_RETRY_BASE_MS,
      retryAttempts: config.ALERTS_RETRY_ATTEMPTS,
      sendTimeoutMs: config.ALERTS_SEND_TIMEOUT_MS,
      digestAt: config.ALERTS_DIGEST_AT,
      defaultWindowMs: Number(config.ALERTS_DEFAULT_WINDOW.slice(0, -1)) * 3_600_000,
      smtp: smtpFromConfig(config),
    },
    ...alertsOptions,
  });
  // After a crawl (every secret) and after a secret is re-indexed alone (a workflow ended, a refresh).
  // (Only once server.ts started the alerts: tests evaluate when they choose.) The events consumer re-indexes through refreshSecret, so its events arrive here too.
  dashboard.crawler.onIndexed((arns) => alerts.indexed(arns));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(requestContext(logger));
  // JSON, the CSV export and the web app's files go out compressed (gzip, or brotli where the browser
  // offers it): the first route's JavaScript is about a quarter of its size on the wire.
  app.use(compression());
  app.use(securityHeaders({ https: config.PUBLIC_URL?.startsWith('https:') ?? false }));
  // Before anything reads or changes: a request for another site's name (DNS rebinding) gets 421.
  app.use(hostCheck({ publicUrl: config.PUBLIC_URL }));
  app.use('/api', noStore, express.json({ limit: config.MAX_BODY_BYTES }));
  // AUTH_MODE=local: every request is the local admin; oidc: a session or a bearer token, else 401 on the API.
  const audit = createAuditTrail({ store, logger });
  app.use(audit.denials);
  const identity = createIdentity({ config, logger, db: database.db, audit });
  app.use(identity.authenticate);
  app.use(identity.csrf);
  app.use(identity.router);
  // AWS calls run as the console until a route names a secret whose team has a role (config/teams.json).
  app.use(awsActorScope(teams));
  // A request that names a secret acts in the secret's own account and region (platform/targets).
  app.use(targetOfRequest(createSecretTargetResolver({ targets, index: dashboard.index })));

  app.use(createOpenApiRouter({ version: VERSION }));
  app.use(
    createHealthRouter({
      probe: createAwsProbe({ identity: createIdentityGateway(clients) }),
      region: config.AWS_REGION,
      endpoint: config.AWS_ENDPOINT_URL,
      version: VERSION,
    }),
  );
  const secrets = createSecretsService({
    reader: dashboard.reader,
    crawler: dashboard.crawler,
    gateway: createSecretsGateway(clients),
    lastRotation,
    teamTagKey,
    freeze,
  });
  app.use(createSecretsRouter({ secrets }));
  const masterCandidates = createMasterCandidatesService({ discovery, listSecrets: secrets.listAfterListing });
  app.use(createRotationRouter({ discovery, secretCheck, masterCandidates, network, plans, ownership, secretRef, audit, teamTagKey, teams }));
  const preflight = createPreflightService({
    subjects: createPreflightSubjects({ aws: clients, discovery, functionSource }),
    runners: preflightRunners(clients),
    logger,
  });
  app.use(createPreflightRouter({ preflight, plans, secretRef }));
  app.use(
    createWorkflowsRouter({
      plans,
      store,
      start,
      secretRef,
      functionLogAccess: (principal, secret, functionArn) => ownership.mayReadFunctionLog(principal, secret, functionArn, teamTagKey),
      functionOwners: (arn) => functions.functionOwners(arn),
    }),
  );
  const operations = createOperationsService({
    gateway: createOperationsGateway(clients),
    store,
    start,
    teamTagKey,
    masterGrants: createMasterGrants({ store, aws: clients }),
  });
  app.use(createOperationsRouter({ operations }));
  app.use(
    createBatchesRouter({
      batches: createBatchesService({
        planner: createBatchPlanner({
          plans,
          operations,
          dashboard: dashboard.service,
          // The preflight's cheap checks for each secret; the database login (an invocation of the function per secret) is left to each secret's page.
          preflight: createPreflightService({
            subjects: createPreflightSubjects({ aws: clients, discovery, functionSource }),
            runners: preflightRunners(clients).filter((r) => r.id !== 'database-login'),
            logger,
          }),
          batches: batchStore,
          targets,
          teams,
          teamTagKey,
          concurrency: 8,
          withinOnePlan: batchPlanMemo.within,
        }),
        batches: batchStore,
        previews: new BatchPreviewStore(database.db),
        store,
        runner,
        dispatcher: batchDispatcher,
      }),
    }),
  );
  app.use(dashboard.router);
  // Rotation events (issue 16): server.ts starts the consumer when events are on.
  const events = createEvents({
    db: database.db,
    aws: clients,
    targets,
    crawler: dashboard.crawler,
    workflows: store,
    start,
    logger,
    queueUrl: config.EVENTS_QUEUE_URL,
  });
  app.use(events.router);
  app.use(createFunctionsRouter({ functions }));
  app.use(createAuditRouter({ store }));
  app.use(createPortalRouter({ portal: createPortalService({ index: dashboard.index, teams, freeze }) }));
  app.use(createFreezeRouter({ freeze, audit }));
  app.use(createAlertsRouter({ alerts, audit }));
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

  app.use(errorMiddleware(logger, { maxBodyBytes: config.MAX_BODY_BYTES }));
  return { app, aws: clients, runner, store, dashboard, targets, batchDispatcher, events, alerts };
};
