import { z } from 'zod';
import { DashboardListQuery } from './dashboard.ts';
import { PreflightVerdict } from './preflight.ts';
import { NetworkChoice, OwnedResource, RotationFunctionChoice, RotationSchedule, WorkflowStatus } from './rotation.ts';

/**
 * Many secrets at once: select secrets (by id or by the dashboard's filter), choose one action
 * (enable rotation with one configuration, rotate now, turn rotation off), preview one plan,
 * then start a batch: each secret its own durable workflow, the shared steps (one new function
 * for all) a workflow of their own that runs first.
 */

const isoDate = z.iso.datetime({ offset: true });

export const BATCH_MAX_SECRETS = 1000;

export const BatchActionName = z.enum(['enable', 'rotate', 'disable']);
export type BatchActionName = z.infer<typeof BatchActionName>;

export const batchActionLabels: Record<BatchActionName, string> = {
  enable: 'Enable automatic rotation',
  rotate: 'Rotate secret immediately',
  disable: 'Turn off rotation',
};

/** The dashboard's filters (the same names and values as GET /api/v1/dashboard/secrets), without paging or sort. */
export const BatchFilter = DashboardListQuery.pick({ name: true, status: true, team: true, engine: true, account: true, region: true });
export type BatchFilter = z.infer<typeof BatchFilter>;

export const BatchSelection = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('secrets'),
    /** Secret names or ARNs; duplicates count once. */
    secretIds: z
      .array(z.string().trim().min(1).max(2048))
      .min(1, 'select at least one secret')
      .max(BATCH_MAX_SECRETS, `a batch holds at most ${BATCH_MAX_SECRETS} secrets`),
  }),
  z.strictObject({
    kind: z.literal('filter'),
    /** Every secret of the index that the dashboard's list shows for this filter (at most 1000). */
    filter: BatchFilter,
  }),
]);
export type BatchSelection = z.infer<typeof BatchSelection>;

/**
 * How enable batches give each secret its own start: Secrets Manager rotation windows start on
 * the hour (a cron's minutes must be 0), so the batch cuts the chosen window into one-hour slots
 * and gives each secret one, in order, evenly; each secret's schedule is the chosen cron with its
 * own hour and a one-hour Duration, so every rotation still falls inside the window chosen.
 * `none` sends the chosen schedule to every secret unchanged.
 */
export const EnableStagger = z.enum(['hourly-slots', 'none']);
export type EnableStagger = z.infer<typeof EnableStagger>;

export const EnableBatchAction = z.strictObject({
  action: z.literal('enable'),
  schedule: RotationSchedule,
  /** The rotation window, e.g. "4h" (1h to 24h). Unset: AWS's default window (to the end of the day). */
  duration: z.string().trim().max(8).optional(),
  /**
   * Rotate each secret once when its rotation is turned on. Default false in a batch: the first
   * rotation then happens in each secret's own staggered window.
   */
  rotateImmediately: z.boolean().default(false),
  /** One function for every secret: an existing one, or one new function the shared steps create once. */
  function: RotationFunctionChoice,
  /** The new function's VPC configuration; null when the databases are not in a VPC. */
  network: NetworkChoice.nullable().default(null),
  stagger: EnableStagger.default('hourly-slots'),
  /** As the wizard's: the operator agrees to change a function that already rotates other secrets. */
  acknowledgeSharedFunction: z.boolean().default(false),
});
export type EnableBatchAction = z.infer<typeof EnableBatchAction>;

export const RotateBatchAction = z.strictObject({
  action: z.literal('rotate'),
  /**
   * Spread the RotateSecret calls evenly over this many minutes (0: as fast as the pacing of
   * 50 calls a second per account and region allows).
   */
  spreadMinutes: z.number().int().min(0).max(1440).default(0),
});
export type RotateBatchAction = z.infer<typeof RotateBatchAction>;

export const DisableBatchAction = z.strictObject({ action: z.literal('disable') });
export type DisableBatchAction = z.infer<typeof DisableBatchAction>;

export const BatchAction = z.discriminatedUnion('action', [EnableBatchAction, RotateBatchAction, DisableBatchAction]);
export type BatchAction = z.infer<typeof BatchAction>;

export const BatchRequest = z
  .strictObject({
    selection: BatchSelection,
    action: BatchAction,
    /** Run the preflight's checks on every secret and refuse those that fail (enable and rotate batches). Default true. */
    preflight: z.boolean().default(true),
    /**
     * When some secrets are refused: false (default) starts the batch for the others and lists the
     * refused ones with their reasons; true refuses the whole batch (409) naming them.
     */
    allOrNothing: z.boolean().default(false),
  })
  .meta({ id: 'BatchRequest' });
export type BatchRequest = z.infer<typeof BatchRequest>;
export type BatchRequestInput = z.input<typeof BatchRequest>;

/**
 * Start's body: the request, and optionally the `previewId` of its preview. With it, Start applies
 * the plan that preview kept (no second planning), provided the preview is the caller's, has not
 * expired or been used, and was made for this same request (`action.acknowledgeSharedFunction`
 * aside: that is the person's word on the plan, given after it); otherwise 409 and nothing starts.
 * Without it, Start plans every secret again.
 */
export const BatchStartRequest = BatchRequest.extend({
  previewId: z.string().trim().min(1).max(64).optional(),
}).meta({ id: 'BatchStartRequest' });
export type BatchStartRequest = z.infer<typeof BatchStartRequest>;
export type BatchStartRequestInput = z.input<typeof BatchStartRequest>;

export const BatchRefusalReason = z.enum([
  /** The caller may not change this secret (the policy: its team is not theirs). */
  'not-allowed',
  /** No such secret, or it was deleted. */
  'not-found',
  /** A rotation or a console workflow on it is still in progress. */
  'in-progress',
  /** The preflight found a failing check. */
  'preflight-failed',
  /** The action does not apply to it as it is (e.g. rotation already off, no function set, the plan refused). */
  'not-applicable',
]);
export type BatchRefusalReason = z.infer<typeof BatchRefusalReason>;

export const BatchRefusal = z.object({ reason: BatchRefusalReason, message: z.string() });
export type BatchRefusal = z.infer<typeof BatchRefusal>;

/** When and how often one secret of the batch rotates, as it will be sent to AWS. */
export const BatchSecretSchedule = z.object({
  /** As RotateSecret's RotationRules: ScheduleExpression (or AutomaticallyAfterDays) and Duration. */
  scheduleExpression: z.string().nullable(),
  automaticallyAfterDays: z.number().int().nullable(),
  duration: z.string().nullable(),
  /** In words: "cron(0 3 ? * SUN *) in a 1h window". */
  description: z.string(),
  /** Its next rotation window, in UTC. */
  nextWindow: z.object({ start: isoDate, end: isoDate }).nullable(),
});
export type BatchSecretSchedule = z.infer<typeof BatchSecretSchedule>;

/**
 * One step of a batch's plan: a rotation plan's step (enable) or an operation's (rotate-now,
 * turn-off), so the kind is any step kind the runner knows.
 */
export const BatchStep = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  /** The AWS API calls this step may make, e.g. "secretsmanager:RotateSecret". */
  awsCalls: z.array(z.string()),
  dependsOn: z.array(z.string()),
  /** The equivalent AWS CLI command, filled in; null for steps with no CLI equivalent. */
  cli: z.string().nullable(),
});
export type BatchStep = z.infer<typeof BatchStep>;

export const BatchPreflightSummary = z.object({
  verdict: PreflightVerdict,
  /** The failing or unknown checks in a sentence each (never a value). */
  findings: z.array(z.string()),
});
export type BatchPreflightSummary = z.infer<typeof BatchPreflightSummary>;

export const BatchSecretPlan = z.object({
  secretArn: z.string(),
  secretName: z.string(),
  accountId: z.string(),
  region: z.string(),
  team: z.string().nullable(),
  /** Null when the secret will be part of the batch; set when it is refused. */
  refusal: BatchRefusal.nullable(),
  /** This secret's own steps (the shared ones are listed once, in `shared`). Empty when refused. */
  steps: z.array(BatchStep),
  /** Enable batches: the secret's own rotation schedule (its staggered start). */
  schedule: BatchSecretSchedule.nullable(),
  /** Rotate batches: seconds after the batch starts when its RotateSecret is sent (before pacing). */
  startOffsetSeconds: z.number().nullable(),
  /** Its preflight verdict, when the preflight ran. */
  preflight: BatchPreflightSummary.nullable(),
  /** The AWS CLI commands for this secret, in order. */
  cli: z.string(),
});
export type BatchSecretPlan = z.infer<typeof BatchSecretPlan>;

export const BatchSharedPlan = z.object({
  /** What is shared, in words: "One new function rotation-payments-batch for the 12 secrets". */
  description: z.string(),
  /** Done once, before any secret's own steps. Empty when nothing is shared (an existing function, rotate, disable). */
  steps: z.array(BatchStep),
  resources: z.array(OwnedResource),
  cli: z.string(),
});
export type BatchSharedPlan = z.infer<typeof BatchSharedPlan>;

export const BatchTotals = z.object({
  selected: z.number().int(),
  included: z.number().int(),
  refused: z.number().int(),
});
export type BatchTotals = z.infer<typeof BatchTotals>;

/** The plan a preview shows: what the planner builds for a request. */
export const BatchPlanView = z.object({
  action: BatchActionName,
  /** "Enable automatic rotation for 12 secrets", in words. */
  summary: z.string(),
  shared: BatchSharedPlan,
  /** Every selected secret, included first, in start order, then the refused ones. */
  secrets: z.array(BatchSecretPlan),
  totals: BatchTotals,
  /** How the starts are spread, in words, for an AWS operator. */
  staggering: z.string(),
  /** How the AWS calls are paced, in words. */
  pacing: z.string(),
  warnings: z.array(z.string()),
});
export type BatchPlanView = z.infer<typeof BatchPlanView>;

/**
 * How long a preview's plan is kept for Start: past it, Start with its `previewId` is refused (409)
 * and the batch page asks for a new preview.
 */
export const BATCH_PREVIEW_TTL_MINUTES = 15;

/**
 * The answer of POST /api/v1/batches/preview: the plan, and the id it is kept under. Start with
 * `previewId` applies that plan (the one the person reviewed) instead of planning every secret again.
 */
export const BatchPreview = BatchPlanView.extend({
  /** Send it with Start (POST /api/v1/batches) to start exactly this plan. */
  previewId: z.string(),
  /** When the kept plan expires (BATCH_PREVIEW_TTL_MINUTES after the preview); Start after it answers 409. */
  expiresAt: isoDate,
}).meta({ id: 'BatchPreview' });
export type BatchPreview = z.infer<typeof BatchPreview>;

/** A batch's status: running until every workflow ended; succeeded when all did, failed when any failed. */
export const BatchStatus = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']);
export type BatchStatus = z.infer<typeof BatchStatus>;

export const BatchItem = z.object({
  secretArn: z.string(),
  secretName: z.string(),
  team: z.string().nullable(),
  /** Its own workflow (GET /api/v1/workflows/{id}); null when refused. */
  workflowId: z.string().nullable(),
  /** Its workflow's status, or "refused". */
  status: z.union([WorkflowStatus, z.literal('refused')]),
  refusal: BatchRefusal.nullable(),
  stepsDone: z.number().int(),
  stepsTotal: z.number().int(),
  /** The step running now, or the one that failed. */
  currentStep: z.string().nullable(),
  schedule: BatchSecretSchedule.nullable(),
  startOffsetSeconds: z.number().nullable(),
  /** In a sentence: "Rotation enabled: cron(0 3 ? * SUN *) in a 1h window", the error when failed. */
  result: z.string().nullable(),
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});
export type BatchItem = z.infer<typeof BatchItem>;

export const BatchItemTotals = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  running: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  refused: z.number().int(),
});
export type BatchItemTotals = z.infer<typeof BatchItemTotals>;

export const BatchSummary = z.object({
  id: z.string(),
  action: BatchActionName,
  summary: z.string(),
  status: BatchStatus,
  createdBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: isoDate,
  finishedAt: isoDate.nullable(),
  totals: BatchItemTotals,
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const Batch = BatchSummary.extend({
  /** The workflow of the shared steps (one new function), which runs before the secrets'; null when nothing is shared. */
  sharedWorkflowId: z.string().nullable(),
  sharedStatus: WorkflowStatus.nullable(),
  staggering: z.string(),
  pacing: z.string(),
  items: z.array(BatchItem),
}).meta({ id: 'Batch' });
export type Batch = z.infer<typeof Batch>;

export const BatchPage = z
  .object({ items: z.array(BatchSummary), total: z.number().int(), offset: z.number().int(), limit: z.number().int() })
  .meta({ id: 'BatchPage' });
export type BatchPage = z.infer<typeof BatchPage>;

export const BatchListQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type BatchListQuery = z.infer<typeof BatchListQuery>;

export const BatchIdParams = z.strictObject({ batchId: z.string().min(1).max(64) });

export const BatchAccepted = z
  .object({
    id: z.string(),
    status: BatchStatus,
    /** /api/v1/batches/{id} */
    location: z.string(),
    totals: BatchTotals,
  })
  .meta({ id: 'BatchAccepted' });
export type BatchAccepted = z.infer<typeof BatchAccepted>;
