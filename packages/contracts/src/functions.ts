import { z } from 'zod';
import { IndexFreshness } from './index-freshness.ts';
import { PlanStep } from './rotation.ts';
import { RotationStepName, SecretStatus } from './secrets.ts';
import { AwsAccountId, AwsRegionName, TargetRef } from './targets.ts';

/**
 * The Functions page (issue 15): every rotation function the console sees across its targets, with
 * its runtime's end of life, its owner, the secrets it rotates and how their last rotations went,
 * and for the console's own function whether it runs the console's current code (and an Update
 * that redeploys it through its stack).
 */

const isoDate = z.iso.datetime({ offset: true });

/** A Lambda function's ARN without a version or alias: what the Functions page names a function by. */
export const LambdaFunctionArn = z
  .string()
  .trim()
  .max(2048)
  .regex(
    /^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:function:[a-zA-Z0-9_-]{1,64}$/,
    'must be a Lambda function ARN without a version or alias (arn:aws:lambda:REGION:ACCOUNT:function:NAME)',
  );

/**
 * Where a function's runtime stands in Lambda's runtime support policy, on the day of the answer:
 * - supported: more than the warning period before its deprecation;
 * - ending: its deprecation is near (daysLeft);
 * - deprecated: Lambda no longer patches it (from deprecatedOn); past blockUpdateOn it cannot be changed either;
 * - unlisted: not in the console's table of runtimes: the console cannot tell.
 */
export const RuntimeVerdict = z.enum(['supported', 'ending', 'deprecated', 'unlisted']);
export type RuntimeVerdict = z.infer<typeof RuntimeVerdict>;

export const runtimeVerdictLabels: Record<RuntimeVerdict, string> = {
  supported: 'Supported',
  ending: 'End of life soon',
  deprecated: 'Deprecated',
  unlisted: 'Cannot tell',
};

export const RuntimeEndOfLife = z.object({
  verdict: RuntimeVerdict,
  /** The day Lambda stops patching the runtime (YYYY-MM-DD); null when the console's table does not list it. */
  deprecatedOn: z.iso.date().nullable(),
  /** From this day a function on the runtime can no longer be updated. */
  blockUpdateOn: z.iso.date().nullable(),
  /** Days until deprecatedOn, when it is ahead. */
  daysLeft: z.number().int().nullable(),
  /** The newest runtime of the same language, to move to. */
  successor: z.string().nullable(),
});
export type RuntimeEndOfLife = z.infer<typeof RuntimeEndOfLife>;

/** A secret whose rotation runs the function now, as the index holds it. */
export const FunctionSecret = z.object({
  name: z.string(),
  arn: z.string(),
  team: z.string().nullable(),
  status: SecretStatus,
});
export type FunctionSecret = z.infer<typeof FunctionSecret>;

/**
 * One rotation of one of the function's secrets, as the index knows it (the verdict the function's
 * log gave, recorded by the crawl): no CloudWatch Logs read on the page's behalf.
 */
export const FunctionRotation = z.object({
  secretName: z.string(),
  secretArn: z.string(),
  /** When: the secret's last rotation, or for one that did not finish, when it was started. */
  at: isoDate.nullable(),
  /** succeeded: the log showed its four steps; failed: a step failed or it did not finish; unknown: the log does not say (yet). */
  outcome: z.enum(['succeeded', 'failed', 'unknown']),
  failedStep: RotationStepName.nullable(),
  /** In words: "setSecret failed", "did not finish: AWSPENDING is left on a version", "the log does not say". */
  message: z.string(),
});
export type FunctionRotation = z.infer<typeof FunctionRotation>;

/** How many secrets a row lists by name; `secretCount` says how many there are. */
export const FUNCTION_SECRETS_SHOWN = 25;

export const RotationFunctionRow = TargetRef.extend({
  name: z.string(),
  arn: z.string(),
  description: z.string().nullable(),
  /** Lambda's runtime identifier (nodejs24.x, python3.9); null for a container image. */
  runtime: z.string().nullable(),
  /** Null when the function has no runtime (a container image). */
  runtimeEndOfLife: RuntimeEndOfLife.nullable(),
  /** The teams that own it, as the one policy decides (policy.ts resourceOwners); empty: no team. */
  owners: z.array(z.string()),
  /** The owner in words: "team payments", "no team". */
  owner: z.string(),
  /** The secrets whose rotation runs it now (the first FUNCTION_SECRETS_SHOWN by name). */
  secrets: z.array(FunctionSecret),
  secretCount: z.number().int(),
  /** The latest rotation among its secrets; null when none has rotated. */
  lastRotation: FunctionRotation.nullable(),
  /** How many of its secrets' last rotations failed or did not finish. */
  failing: z.number().int(),
  /** The latest of those failures, with the step that failed where the log showed it. */
  lastFailure: FunctionRotation.nullable(),
  /** The console's bundled function (its template's ROTATION_STRATEGY and DB_ENGINE variables). */
  consoleFunction: z.boolean(),
  /** Lambda's CodeSha256 of the deployed code. */
  codeSha256: z.string().nullable(),
  /** For the console's function: whether it runs the console's current code (null for any other function). */
  atCurrentVersion: z.boolean().nullable(),
});
export type RotationFunctionRow = z.infer<typeof RotationFunctionRow>;

/** How one target's functions were listed: a target that failed shows its error and holds back no other. */
export const FunctionListing = TargetRef.extend({
  state: z.enum(['listed', 'failed']),
  /** When Lambda was asked (listings are kept a minute). */
  listedAt: isoDate.nullable(),
  error: z.string().nullable(),
  /** The rotation functions found there. */
  functions: z.number().int(),
});
export type FunctionListing = z.infer<typeof FunctionListing>;

export const FunctionsPage = z
  .object({
    items: z.array(RotationFunctionRow),
    /** Each account-region asked, with its error when Lambda did not answer. */
    targets: z.array(FunctionListing),
    /** The CodeSha256 of the console's current bundled function. */
    currentCodeSha256: z.string(),
    /** How fresh the index the secrets and outcomes come from is. */
    freshness: IndexFreshness,
  })
  .meta({ id: 'FunctionsPage' });
export type FunctionsPage = z.infer<typeof FunctionsPage>;

export const FunctionsQuery = z.strictObject({
  /** Functions of this account (its 12-digit id), and of this region. */
  account: AwsAccountId.optional(),
  region: AwsRegionName.optional(),
});
export type FunctionsQuery = z.infer<typeof FunctionsQuery>;

// --- Update: the console's function redeployed with the current code ------------------------

/** The kind of the workflow that updates the console's function (its subject: the function's ARN). */
export const FUNCTION_UPDATE_WORKFLOW = 'update-function';

export const FunctionUpdateRequest = z
  .strictObject({
    functionArn: LambdaFunctionArn,
    /**
     * The operator has read the preview's list of the secrets the function rotates and agrees that
     * their rotation runs the new code. Required when the preview's `acknowledgementRequired` is true.
     */
    acknowledgeSharedFunction: z.boolean().default(false),
  })
  .meta({ id: 'FunctionUpdateRequest' });
export type FunctionUpdateRequest = z.input<typeof FunctionUpdateRequest>;

export const FunctionUpdatePreview = z
  .object({
    functionName: z.string(),
    functionArn: z.string(),
    accountId: z.string(),
    region: z.string(),
    /** The console's stack the function is deployed through. */
    stackName: z.string().nullable(),
    /** False when the update cannot run now (the reason says why). */
    allowed: z.boolean(),
    reason: z.string().nullable(),
    /** The function's CodeSha256 now, and the console's current code's. */
    currentCodeSha256: z.string().nullable(),
    newCodeSha256: z.string(),
    /** Every AWS call, in order, with its CLI command; empty when not allowed. */
    steps: z.array(PlanStep),
    stages: z.array(z.array(z.string())),
    cliSession: z.string(),
    /** The secrets whose rotation runs the function: each runs the new code from then on. */
    secrets: z.array(z.object({ name: z.string(), team: z.string().nullable() })),
    /** The request must say `acknowledgeSharedFunction: true` before the workflow may start. */
    acknowledgementRequired: z.boolean(),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'FunctionUpdatePreview' });
export type FunctionUpdatePreview = z.infer<typeof FunctionUpdatePreview>;
