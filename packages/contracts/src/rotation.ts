import { z } from 'zod';
import { FreezeOverride } from './freeze.ts';
import { ListSecretsQuery, RotationStepName } from './secrets.ts';

/**
 * The wizard's request: what the operator chose on "Edit rotation". Used by
 * POST /api/v1/rotation-plans (plan only) and POST /api/v1/workflows (plan and run).
 * Deep validation (schedule grammar, names AWS refuses) happens on the server, which
 * answers 400 with the reason; these schemas check shape only.
 */

export const RotationStrategy = z.enum(['single-user', 'alternating-users']);
export type RotationStrategy = z.infer<typeof RotationStrategy>;

export const strategyLabels: Record<RotationStrategy, string> = {
  'single-user': 'Single-user rotation',
  'alternating-users': 'Multi-user rotation',
};

export const RotationSchedule = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('days'),
    days: z.number().int('days must be a whole number').min(1, 'days must be 1 to 1000').max(1000, 'days must be 1 to 1000'),
  }),
  z.strictObject({
    kind: z.literal('expression'),
    expression: z.string().trim().min(1).max(256).meta({ description: 'rate(...) or cron(...), as RotateSecret accepts.' }),
  }),
]);
export type RotationSchedule = z.infer<typeof RotationSchedule>;

export const ScheduleInput = z.strictObject({
  schedule: RotationSchedule,
  /** The rotation window, e.g. "3h" (1h to 24h). Unset: AWS's default window. */
  duration: z.string().trim().max(8).optional(),
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const RotationWindow = z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) });
export type RotationWindow = z.infer<typeof RotationWindow>;

export const SchedulePreview = z
  .object({
    valid: z.boolean(),
    /** Why AWS would refuse the schedule, when it would. */
    errors: z.array(z.string()),
    /** The schedule in words, e.g. "every 30 days", "cron(0 4 ? * SUN *) in a 3h window". */
    description: z.string().nullable(),
    /** The next five rotation windows, in UTC. */
    windows: z.array(RotationWindow),
    /** The seed's compliance advice for this interval and strategy. */
    advice: z.array(z.string()),
    /** The team's limit the schedule was checked against, when the request named a secret or a team that has one. */
    limit: z.object({ team: z.string(), maxIntervalDays: z.number().int() }).nullable().optional(),
  })
  .meta({ id: 'SchedulePreview' });
export type SchedulePreview = z.infer<typeof SchedulePreview>;

export const SchedulePreviewRequest = ScheduleInput.extend({
  strategy: RotationStrategy.optional(),
  /** Check the schedule against the limit of this secret's team too (config/teams.json). */
  secretId: z.string().trim().min(1).max(2048).optional(),
  /** Or against this team's limit. */
  team: z.string().trim().min(1).max(256).optional(),
}).meta({ id: 'SchedulePreviewRequest' });

/**
 * What Lambda's GetFunction accepts as FunctionName (a function's ARN, with or without a
 * version or alias, or its name): anything else is refused here, naming the field, rather
 * than sent to AWS.
 */
const LAMBDA_FUNCTION = /^(arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:function:)?[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$/;

export const RotationFunctionChoice = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('create'),
    /** "Lambda function name" on the console page. */
    functionName: z.string().trim().min(1).max(140),
    strategy: RotationStrategy,
    /** For alternating users: the secret chosen under "Use a secret that I have previously stored in AWS Secrets Manager". */
    masterSecretId: z.string().trim().min(1).max(2048).optional(),
  }),
  z.strictObject({
    mode: z.literal('existing'),
    functionArn: z
      .string()
      .trim()
      .min(1)
      .max(2048)
      .regex(LAMBDA_FUNCTION, 'must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME) or name'),
    strategy: RotationStrategy,
    masterSecretId: z.string().trim().min(1).max(2048).optional(),
  }),
]);
export type RotationFunctionChoice = z.infer<typeof RotationFunctionChoice>;

export const NetworkChoice = z.strictObject({
  vpcId: z.string().trim().min(1).max(64),
  subnetIds: z.array(z.string().trim().min(1).max(64)).min(1, 'choose at least one subnet').max(16),
  securityGroupIds: z.array(z.string().trim().min(1).max(64)).min(1, 'choose at least one security group').max(5),
  /** Create a Secrets Manager interface endpoint with private DNS in the VPC. */
  createSecretsManagerEndpoint: z.boolean(),
});
export type NetworkChoice = z.infer<typeof NetworkChoice>;

export const RotationRequest = z
  .strictObject({
    secretId: z.string().trim().min(1).max(2048),
    schedule: RotationSchedule,
    duration: z.string().trim().max(8).optional(),
    /** "Rotate immediately when the secret is stored". Default true, as the console. */
    rotateImmediately: z.boolean().default(true),
    function: RotationFunctionChoice,
    /** The function's VPC configuration; null when the database is not in a VPC. */
    network: NetworkChoice.nullable(),
    /**
     * The operator has read the plan's list of the other secrets the chosen function rotates and
     * agrees to change that function (its network, permission or role policy). Required when the
     * plan's `sharedFunction.acknowledgementRequired` is true.
     */
    acknowledgeSharedFunction: z.boolean().default(false),
    /** Admins only: rotate immediately although the team's freeze window is open, for this reason (audited). */
    overrideFreeze: FreezeOverride.optional(),
  })
  .meta({ id: 'RotationRequest' });
export type RotationRequest = z.infer<typeof RotationRequest>;
export type RotationRequestInput = z.input<typeof RotationRequest>;

// --- The secret check -----------------------------------------------------------

export const FieldVerdict = z.object({
  field: z.string(),
  verdict: z.enum(['ok', 'missing', 'invalid', 'unexpected']),
  message: z.string(),
});
export type FieldVerdict = z.infer<typeof FieldVerdict>;

/**
 * How to fix a secret whose fields the rotation function cannot use: the fields to change and the
 * AWS CLI command that stores a whole new value. Placeholders ("<password>") stand for every value
 * the console did not choose itself: it never holds one of the secret's values.
 */
export const SecretFix = z.object({
  /** The fields to change (missing or invalid), in the order of the check. Empty when the value is no JSON object at all. */
  fields: z.array(z.string()),
  /** `aws secretsmanager put-secret-value --secret-id <name> --secret-string '{...}'`, placeholders for values. */
  cli: z.string(),
});
export type SecretFix = z.infer<typeof SecretFix>;

export const SecretFormatCheck = z.object({
  secretName: z.string(),
  ok: z.boolean(),
  /** The engine named by the SecretString, when it names one. */
  engine: z.string().nullable(),
  /** Never a value: field names and verdicts only. */
  fields: z.array(FieldVerdict),
  problems: z.array(z.string()),
  /** Set when a field is missing or invalid, or the value is not a JSON object: how to fix it. */
  fix: SecretFix.nullable(),
});
export type SecretFormatCheck = z.infer<typeof SecretFormatCheck>;

export const SecretCheck = z
  .object({
    ok: z.boolean(),
    secret: SecretFormatCheck,
    masterSecret: SecretFormatCheck.nullable(),
  })
  .meta({ id: 'SecretCheck' });
export type SecretCheck = z.infer<typeof SecretCheck>;

/**
 * The seed's warning, word for word: the plan's warnings carry it when the secret rotates on Save,
 * and the wizard shows it once, beside the acknowledgement it asks for.
 */
export const ROTATE_IMMEDIATELY_WARNING =
  'Enabling rotation causes the secret to rotate once immediately when you save the secret. Before you enable rotation, be sure you update all of your applications using this secret credentials to retrieve the secret from Secrets Manager. The original credentials might not be usable after the initial rotation. Any applications you fail to update break as soon as the old credentials become invalid.';

export const SecretCheckQuery = z.strictObject({
  strategy: RotationStrategy.default('single-user'),
  masterSecretId: z.string().trim().min(1).max(2048).optional(),
});

// --- The plan -------------------------------------------------------------------

export const StepKind = z.enum([
  'upload-function-code',
  'create-function-change-set',
  'execute-change-set',
  'read-function-arn',
  'add-invoke-permission',
  'configure-function-vpc',
  'create-secrets-manager-endpoint',
  'grant-master-secret-access',
  'rotate-secret',
  'watch-first-rotation',
]);
export type StepKind = z.infer<typeof StepKind>;

export const PlanStep = z.object({
  id: z.string(),
  kind: StepKind,
  title: z.string(),
  /** The AWS API calls this step may make, e.g. "cloudformation:CreateChangeSet". */
  awsCalls: z.array(z.string()),
  dependsOn: z.array(z.string()),
  /** The equivalent AWS CLI command, filled in; null for steps with no CLI equivalent. */
  cli: z.string().nullable(),
});
export type PlanStep = z.infer<typeof PlanStep>;

/** One AWS resource a plan touches, with who owns it (policy.ts decides). */
export const OwnedResource = z.object({
  kind: z.enum(['function', 'role', 'stack', 'vpc', 'subnet', 'security-group', 'vpc-endpoint', 'bucket']),
  id: z.string(),
  /** "team payments", "no team", "the console". */
  owner: z.string(),
  /** What the plan does with it. */
  use: z.enum(['create', 'change', 'use']),
});
export type OwnedResource = z.infer<typeof OwnedResource>;

/** A plan that changes a function which also rotates other secrets: what it serves and what changes. */
export const SharedFunctionImpact = z.object({
  functionName: z.string(),
  otherSecrets: z.array(z.object({ name: z.string(), team: z.string().nullable() })),
  changes: z.array(z.object({ what: z.string(), before: z.string(), after: z.string() })),
  /** The request must say `acknowledgeSharedFunction: true` before the workflow may start. */
  acknowledgementRequired: z.boolean(),
});
export type SharedFunctionImpact = z.infer<typeof SharedFunctionImpact>;

export const RotationPlan = z
  .object({
    secretArn: z.string(),
    secretName: z.string(),
    engine: z.string().nullable(),
    strategy: RotationStrategy,
    /** How the function is created: the Serverless Application Repository on AWS, the bundled template elsewhere. */
    functionSource: z.enum(['serverless-application-repository', 'bundled-template', 'existing']),
    schedule: z.object({ description: z.string(), windows: z.array(RotationWindow) }),
    steps: z.array(PlanStep),
    /** Groups of step ids that run at the same time, in order. */
    stages: z.array(z.array(z.string())),
    /** The whole CLI session, in order, copyable. */
    cliSession: z.string(),
    check: SecretCheck,
    warnings: z.array(z.string()),
    /** Every AWS resource the plan touches and its owner, checked before anything runs. */
    resources: z.array(OwnedResource),
    /** Set when the chosen function rotates other secrets too. */
    sharedFunction: SharedFunctionImpact.nullable(),
  })
  .meta({ id: 'RotationPlan' });
export type RotationPlan = z.infer<typeof RotationPlan>;

// --- Workflows ------------------------------------------------------------------

export const WorkflowStatus = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']);
export type WorkflowStatus = z.infer<typeof WorkflowStatus>;
export const StepStatus = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']);
export type StepStatus = z.infer<typeof StepStatus>;

export const WorkflowStep = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  status: StepStatus,
  dependsOn: z.array(z.string()),
  attempts: z.number().int(),
  startedAt: z.iso.datetime({ offset: true }).nullable(),
  finishedAt: z.iso.datetime({ offset: true }).nullable(),
  awsRequestId: z.string().nullable(),
  error: z.string().nullable(),
  /** What the step found or made: ARNs, ids, "already present". Never a secret value. */
  output: z.record(z.string(), z.unknown()).nullable(),
});
export type WorkflowStep = z.infer<typeof WorkflowStep>;

/**
 * One invocation of the rotation function for this rotation (never another secret's), with a
 * headline in words and its log lines, redacted on the server.
 */
export const RotationLogGroup = z.object({
  step: RotationStepName.nullable(),
  requestId: z.string().nullable(),
  outcome: z.enum(['succeeded', 'failed', 'unknown']),
  /** "setSecret failed: getaddrinfo ENOTFOUND db.internal", "createSecret succeeded". */
  headline: z.string(),
  lines: z.array(z.string()),
});
export type RotationLogGroup = z.infer<typeof RotationLogGroup>;

export const RotationOutcome = z.object({
  /**
   * rotated: all four steps of this rotation succeeded in the function's log and the labels agree;
   * failed: a step failed (failedStep); unknown: the function's logs do not say; not-started: no rotation was asked for.
   */
  result: z.enum(['rotated', 'failed', 'unknown', 'not-started']),
  message: z.string(),
  /** For a failed rotation: the step of the rotation function that failed. */
  failedStep: RotationStepName.nullable(),
  /** The rotation's ClientRequestToken: the new version's id. */
  versionId: z.string().nullable(),
  /** This rotation's invocations, one group per step, oldest first. Empty when logHidden. */
  log: z.array(RotationLogGroup),
  /** True when the caller may not read the function's log (only who may change the function may): log and the error text are left out. */
  logHidden: z.boolean(),
  /** The seed's fix for the usual cause. */
  fix: z.string().nullable(),
});
export type RotationOutcome = z.infer<typeof RotationOutcome>;

export const Workflow = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: WorkflowStatus,
    subject: z.string(),
    createdBy: z.object({ id: z.string(), name: z.string() }),
    createdAt: z.iso.datetime({ offset: true }),
    startedAt: z.iso.datetime({ offset: true }).nullable(),
    finishedAt: z.iso.datetime({ offset: true }).nullable(),
    error: z.string().nullable(),
    steps: z.array(WorkflowStep),
    outcome: RotationOutcome.nullable(),
  })
  .meta({ id: 'Workflow' });
export type Workflow = z.infer<typeof Workflow>;

export const WorkflowIdParams = z.strictObject({ workflowId: z.string().min(1).max(64) });

export const WorkflowAccepted = z.object({ id: z.string(), status: WorkflowStatus, location: z.string() }).meta({ id: 'WorkflowAccepted' });

// --- What the wizard offers ------------------------------------------------------

export const LambdaFunctionSummary = z.object({
  name: z.string(),
  arn: z.string(),
  runtime: z.string().nullable(),
  description: z.string().nullable(),
  vpcId: z.string().nullable(),
  /** Who owns it, in words ("team payments", "no team"). */
  owner: z.string().optional(),
  /** The secrets whose rotation runs it now. */
  usedBy: z.array(z.object({ name: z.string(), team: z.string().nullable() })).optional(),
  /** Whether the caller may use it (admins see every function; operators only usable ones). */
  usable: z.boolean().optional(),
});
export const LambdaFunctionList = z.object({ items: z.array(LambdaFunctionSummary) }).meta({ id: 'LambdaFunctionList' });
export type LambdaFunctionSummary = z.infer<typeof LambdaFunctionSummary>;

export const Subnet = z.object({
  id: z.string(),
  vpcId: z.string(),
  cidr: z.string().nullable(),
  availabilityZone: z.string().nullable(),
  name: z.string().nullable(),
  /** True when its route table sends 0.0.0.0/0 to a NAT gateway or an internet gateway. */
  hasRouteOut: z.boolean(),
});
export const SecurityGroup = z.object({ id: z.string(), vpcId: z.string(), name: z.string(), description: z.string().nullable() });
export const Vpc = z.object({ id: z.string(), cidr: z.string().nullable(), name: z.string().nullable(), isDefault: z.boolean() });
export type Subnet = z.infer<typeof Subnet>;
export type SecurityGroup = z.infer<typeof SecurityGroup>;
export type Vpc = z.infer<typeof Vpc>;

export const VpcList = z.object({ items: z.array(Vpc) }).meta({ id: 'VpcList' });
export const VpcDetail = z
  .object({
    vpc: Vpc,
    subnets: z.array(Subnet),
    securityGroups: z.array(SecurityGroup),
    /** An existing com.amazonaws.<region>.secretsmanager interface endpoint, if any. */
    secretsManagerEndpointId: z.string().nullable(),
  })
  .meta({ id: 'VpcDetail' });
export type VpcDetail = z.infer<typeof VpcDetail>;
export const VpcIdParams = z.strictObject({ vpcId: z.string().min(1).max(64) });
/** The wizard names the secret, so the network offered is what that secret's team may use. */
export const NetworkOfferQuery = z.strictObject({ secretId: z.string().trim().min(1).max(2048).optional() });

/** An admin gives an untagged function to a team (tags it). */
export const FunctionAdoption = z
  .strictObject({
    functionName: z
      .string()
      .trim()
      .min(1)
      .max(2048)
      .regex(LAMBDA_FUNCTION, 'must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME) or name'),
    team: z.string().trim().min(1).max(256),
  })
  .meta({ id: 'FunctionAdoption' });

/** A database as a secret's SecretString names it: engine, host and port (never the user or password). */
export const DatabaseRef = z.object({ engine: z.string(), host: z.string(), port: z.number().int().nullable() });
export type DatabaseRef = z.infer<typeof DatabaseRef>;

/** A secret the wizard offers as the master secret: one the caller may use, for the same database. */
export const MasterSecretCandidate = z.object({
  name: z.string(),
  arn: z.string(),
  description: z.string().nullable(),
  team: z.string().nullable(),
  database: DatabaseRef,
});
export type MasterSecretCandidate = z.infer<typeof MasterSecretCandidate>;

export const MasterSecretCandidateList = z
  .object({
    /** The database the candidates serve: the rotated secret's. Null when its SecretString names no engine and host. */
    database: DatabaseRef.nullable(),
    items: z.array(MasterSecretCandidate),
    /** More secrets matched the name than were read: a longer name narrows the list. */
    truncated: z.boolean(),
  })
  .meta({ id: 'MasterSecretCandidateList' });
export type MasterSecretCandidateList = z.infer<typeof MasterSecretCandidateList>;

/** `name`: secrets whose name starts with it, as the Secrets list filters. */
export const MasterSecretCandidatesQuery = z.strictObject({ name: ListSecretsQuery.shape.name });

/** The database behind a secret, found from its host through RDS DescribeDBInstances. */
export const SecretNetwork = z
  .object({
    host: z.string().nullable(),
    dbInstance: z
      .object({ id: z.string(), engine: z.string(), vpcId: z.string().nullable(), subnetIds: z.array(z.string()), securityGroupIds: z.array(z.string()) })
      .nullable(),
    /** Subnets of the database without a route out and no Secrets Manager endpoint: offer to create one. */
    suggestEndpoint: z.boolean(),
    message: z.string(),
  })
  .meta({ id: 'SecretNetwork' });
export type SecretNetwork = z.infer<typeof SecretNetwork>;
