import type { Stack } from '@aws-sdk/client-cloudformation';
import { readRotationTemplate } from '@rotation-console/rotation-functions';
import { sdk } from '../../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../../platform/aws.ts';
import { callAws } from '../../../platform/aws-errors.ts';
import type { ServerlessRepoClient } from '../../../platform/aws-serverlessrepo.ts';
import { StepError } from '../../../platform/workflow/step-error.ts';
import type { StepRun } from '../../../platform/workflow/step-registry.ts';
import { done, fromDependency, input, requestIdOf, waitFor, type Pacing } from './common.ts';

interface ChangeSetInput {
  source: 'serverless-application-repository' | 'bundled-template';
  /** CREATE (default): the stack of a new function. UPDATE: the console's function redeployed through its stack (function-update.ts). */
  changeSetType?: 'CREATE' | 'UPDATE';
  stackName: string;
  changeSetName?: string;
  applicationId?: string;
  parameters: Record<string, string>;
  /** UPDATE: the stack's parameters that keep their values. */
  keptParameters?: string[];
  /** The team and managed-by tags: CloudFormation passes stack tags on to the function, its role and its permission. */
  tags?: { Key: string; Value: string }[];
}

const DEPLOYED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);
const BROKEN = new Set(['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'DELETE_FAILED', 'UPDATE_ROLLBACK_FAILED']);

/** The Serverless Application Repository names its stacks with this prefix. */
export const deployedStackName = (source: ChangeSetInput['source'], stackName: string) =>
  source === 'serverless-application-repository' ? `serverlessrepo-${stackName}` : stackName;

const describeStack = async (aws: AwsClientFactory, stackName: string): Promise<Stack | null> => {
  const { DescribeStacksCommand } = sdk.cloudFormation();
  try {
    const out = await aws.forRegion().cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    return out.Stacks?.[0] ?? null;
  } catch (error) {
    // CloudFormation answers a ValidationError "Stack with id X does not exist".
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return null;
    throw error;
  }
};

const refuseBroken = (stack: Stack) => {
  if (stack.StackStatus && BROKEN.has(stack.StackStatus)) {
    throw new StepError({
      message: `Stack ${stack.StackName} is ${stack.StackStatus}${stack.StackStatusReason ? ` (${stack.StackStatusReason})` : ''}. Delete it (aws cloudformation delete-stack --stack-name ${stack.StackName}) and save again.`,
    });
  }
};

/** CloudFormation's answer to a change set that changes nothing: CreateChangeSet refuses it (moto) or the change set fails with it (AWS). */
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

/** No change set of that name: AWS says ChangeSetNotFound; moto 5.2.1 a ValidationError that takes the change set's name for a stack's. */
const isChangeSetMissing = (error: Error, changeSetName: string) =>
  error.name === 'ChangeSetNotFoundException' ||
  error.name === 'ChangeSetNotFound' ||
  (error.name === 'ValidationError' && error.message.includes(changeSetName) && /does not exist/.test(error.message));

/**
 * The update's change set: the current template, the code's new location, every other parameter of
 * the stack kept (UsePreviousValue), its tags left as they are. A change set an earlier run of this
 * step made (before a crash) is reused; a stack already at the new code needs none.
 */
const createUpdateChangeSet = async (aws: AwsClientFactory, spec: ChangeSetInput, clientToken: string) => {
  const { CreateChangeSetCommand, DescribeChangeSetCommand } = sdk.cloudFormation();
  const cfn = aws.forRegion().cloudFormation;
  const { stackName } = spec;
  const changeSetName = spec.changeSetName!;
  const stack = await callAws('DescribeStacks', () => describeStack(aws, stackName));
  if (!stack)
    throw new StepError({
      message: `Stack ${stackName} does not exist: the function was not deployed through the console's stack, so it cannot be updated through it.`,
    });
  refuseBroken(stack);
  if (!stack.StackStatus || !DEPLOYED.has(stack.StackStatus)) {
    throw new StepError({ message: `Stack ${stackName} is ${stack.StackStatus ?? 'in an unknown state'}; wait until its change has ended.`, retryable: true });
  }
  const existing = await cfn
    .send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }))
    .catch((error: Error) => (isChangeSetMissing(error, changeSetName) ? null : Promise.reject(error)));
  if (existing?.ChangeSetId) return done({ stackName, stackId: existing.StackId, changeSetId: existing.ChangeSetId, reused: true });
  const current = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
  if (Object.entries(spec.parameters).every(([k, v]) => current[k] === v)) return done({ stackName, stackId: stack.StackId, unchanged: true });
  const template = await readRotationTemplate();
  try {
    const out = await callAws('CreateChangeSet', () =>
      cfn.send(
        new CreateChangeSetCommand({
          StackName: stackName,
          ChangeSetName: changeSetName,
          ChangeSetType: 'UPDATE',
          TemplateBody: template,
          Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
          Parameters: [
            ...Object.entries(spec.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
            ...(spec.keptParameters ?? []).map((ParameterKey) => ({ ParameterKey, UsePreviousValue: true })),
          ],
          ClientToken: clientToken,
        }),
      ),
    );
    return done({ stackName, stackId: out.StackId, changeSetId: out.Id }, requestIdOf(out));
  } catch (error) {
    if (NO_CHANGES.test((error as Error).message)) return done({ stackName, stackId: stack.StackId, unchanged: true });
    throw error;
  }
};

/** Ensures a change set that creates the rotation function exists (or the stack already does). */
export const createFunctionChangeSet =
  (aws: AwsClientFactory, serverlessRepo: ServerlessRepoClient): StepRun =>
  async (ctx) => {
    const spec = input<ChangeSetInput>(ctx);
    if (spec.changeSetType === 'UPDATE') return createUpdateChangeSet(aws, spec, ctx.idempotencyToken);
    const { CreateChangeSetCommand, DescribeChangeSetCommand } = sdk.cloudFormation();
    const cfn = aws.forRegion().cloudFormation;
    const stackName = deployedStackName(spec.source, spec.stackName);
    const stack = await callAws('DescribeStacks', () => describeStack(aws, stackName));
    if (stack) {
      refuseBroken(stack);
      if (stack.StackStatus && DEPLOYED.has(stack.StackStatus)) return done({ stackName, stackId: stack.StackId, alreadyDeployed: true });
    }

    if (spec.source === 'serverless-application-repository') {
      const result = await callAws('CreateCloudFormationChangeSet', () =>
        serverlessRepo.createCloudFormationChangeSet({
          applicationId: spec.applicationId!,
          stackName: spec.stackName,
          parameterOverrides: Object.entries(spec.parameters).map(([name, value]) => ({ name, value })),
          capabilities: ['CAPABILITY_IAM', 'CAPABILITY_RESOURCE_POLICY'],
          clientToken: ctx.idempotencyToken,
          tags: spec.tags ?? [],
        }),
      );
      return done({ stackName, stackId: result.stackId, changeSetId: result.changeSetId }, result.requestId);
    }

    // A change set left by an earlier run of this step (before a crash) is reused.
    if (stack) {
      const existing = await cfn
        .send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: spec.changeSetName! }))
        .catch((error: Error) => (isChangeSetMissing(error, spec.changeSetName!) ? null : Promise.reject(error)));
      if (existing?.ChangeSetId) return done({ stackName, stackId: existing.StackId, changeSetId: existing.ChangeSetId, reused: true });
    }
    const template = await readRotationTemplate();
    const out = await callAws('CreateChangeSet', () =>
      cfn.send(
        new CreateChangeSetCommand({
          StackName: stackName,
          ChangeSetName: spec.changeSetName!,
          ChangeSetType: 'CREATE',
          TemplateBody: template,
          Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
          Parameters: Object.entries(spec.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
          Tags: spec.tags ?? [],
          ClientToken: ctx.idempotencyToken,
        }),
      ),
    );
    return done({ stackName, stackId: out.StackId, changeSetId: out.Id }, requestIdOf(out));
  };

/** Stack states of an update that ended well; a rolled-back update ended, but the code stayed the old one. */
const UPDATED = new Set(['UPDATE_COMPLETE']);
const UPDATE_ROLLED_BACK = new Set(['UPDATE_ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_FAILED']);

/**
 * Runs the update's change set once it is ready (unless an earlier run did), then waits until the
 * stack's update has ended; a rolled-back update fails the step with CloudFormation's reason.
 */
const executeUpdateChangeSet = async (aws: AwsClientFactory, pacing: Pacing, ctx: Parameters<StepRun>[0], stackName: string, changeSetId: string | null) => {
  const { DescribeChangeSetCommand, ExecuteChangeSetCommand } = sdk.cloudFormation();
  const cfn = aws.forRegion().cloudFormation;
  if (!changeSetId) return done({ stackName, unchanged: true });
  let requestId: string | null = null;
  const describe = () =>
    callAws('DescribeChangeSet', () =>
      cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName })).catch((error: Error) =>
        // Once run, CloudFormation may drop a change set: the stack tells the rest.
        isChangeSetMissing(error, changeSetId)
          ? { Status: 'CREATE_COMPLETE', ExecutionStatus: 'EXECUTE_COMPLETE', StatusReason: undefined }
          : Promise.reject(error),
      ),
    );
  const ready = await waitFor(ctx, pacing, `change set ${changeSetId}`, async () => {
    const cs = await describe();
    if (cs.Status === 'FAILED') {
      if (NO_CHANGES.test(cs.StatusReason ?? '')) return 'unchanged' as const;
      throw new StepError({ message: `Change set failed: ${cs.StatusReason ?? 'no reason given'}` });
    }
    return cs.Status === 'CREATE_COMPLETE' ? (cs.ExecutionStatus ?? 'AVAILABLE') : undefined;
  });
  if (ready === 'unchanged') return done({ stackName, unchanged: true });
  if (ready === 'AVAILABLE') {
    const out = await callAws('ExecuteChangeSet', () =>
      cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName, ClientRequestToken: ctx.idempotencyToken })),
    );
    requestId = requestIdOf(out);
  }
  // Until the change set has run, the stack may still show the state its last change left.
  await waitFor(ctx, pacing, `change set ${changeSetId} to run`, async () => {
    const status = (await describe()).ExecutionStatus;
    return status === 'AVAILABLE' || status === 'EXECUTE_IN_PROGRESS' ? undefined : status;
  });
  const final = await waitFor(ctx, pacing, `stack ${stackName}`, async () => {
    const s = await callAws('DescribeStacks', () => describeStack(aws, stackName));
    if (!s) throw new StepError({ message: `Stack ${stackName} disappeared while it was being updated.` });
    if (s.StackStatus && UPDATE_ROLLED_BACK.has(s.StackStatus)) {
      throw new StepError({
        message: `Stack ${stackName} rolled the update back (${s.StackStatus}${s.StackStatusReason ? `: ${s.StackStatusReason}` : ''}); the function runs its earlier code. Read the stack's events (aws cloudformation describe-stack-events --stack-name ${stackName}) for the resource that failed.`,
      });
    }
    refuseBroken(s);
    if (s.StackStatus?.endsWith('_FAILED')) throw new StepError({ message: `Stack ${stackName} failed: ${s.StackStatus} ${s.StackStatusReason ?? ''}`.trim() });
    return s.StackStatus && UPDATED.has(s.StackStatus) ? s : undefined;
  });
  return done({ stackName, stackId: final.StackId, status: final.StackStatus }, requestId);
};

/** Ensures the change set ran and the stack finished creating. */
export const executeChangeSet =
  (aws: AwsClientFactory, pacing: Pacing): StepRun =>
  async (ctx) => {
    const stackName = fromDependency(ctx, 'create-function-change-set', 'stackName') ?? input<{ stackName: string }>(ctx).stackName;
    const changeSetId = fromDependency(ctx, 'create-function-change-set', 'changeSetId');
    if (input<{ changeSetType?: string }>(ctx).changeSetType === 'UPDATE') return executeUpdateChangeSet(aws, pacing, ctx, stackName, changeSetId ?? null);
    const { DescribeChangeSetCommand, ExecuteChangeSetCommand } = sdk.cloudFormation();
    const cfn = aws.forRegion().cloudFormation;
    let requestId: string | null = null;

    const stack = await callAws('DescribeStacks', () => describeStack(aws, stackName));
    if (!stack) throw new StepError({ message: `Stack ${stackName} does not exist; the change set step did not create it.` });
    refuseBroken(stack);
    if (stack.StackStatus === 'REVIEW_IN_PROGRESS') {
      if (!changeSetId) throw new StepError({ message: `Stack ${stackName} waits for a change set, but none was recorded.` });
      // The change set must be ready before it can run.
      await waitFor(ctx, pacing, `change set ${changeSetId}`, async () => {
        const cs = await callAws('DescribeChangeSet', () => cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName })));
        if (cs.Status === 'FAILED') throw new StepError({ message: `Change set failed: ${cs.StatusReason ?? 'no reason given'}` });
        return cs.Status === 'CREATE_COMPLETE' ? true : undefined;
      });
      const out = await callAws('ExecuteChangeSet', () =>
        cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName, ClientRequestToken: ctx.idempotencyToken })),
      );
      requestId = requestIdOf(out);
    }
    const final = await waitFor(ctx, pacing, `stack ${stackName}`, async () => {
      const s = await callAws('DescribeStacks', () => describeStack(aws, stackName));
      if (!s) throw new StepError({ message: `Stack ${stackName} disappeared while it was being created.` });
      refuseBroken(s);
      if (s.StackStatus?.endsWith('_FAILED'))
        throw new StepError({ message: `Stack ${stackName} failed: ${s.StackStatus} ${s.StackStatusReason ?? ''}`.trim() });
      return s.StackStatus && DEPLOYED.has(s.StackStatus) ? s : undefined;
    });
    return done({ stackName, stackId: final.StackId, status: final.StackStatus }, requestId);
  };

/**
 * Reads the function ARN from the stack's resources (emulators give no Outputs after a
 * change set) and, for the bundled template, checks that the function runs the code the
 * console uploaded: it receives database credentials, and its stack or code may have been
 * changed by someone else. The plan gives no hash for AWS's own template (Serverless
 * Application Repository): that is AWS's code, whose hash the console cannot know.
 */
export const readFunctionArn =
  (aws: AwsClientFactory): StepRun =>
  async (ctx) => {
    const { codeSha256: expected, update } = input<{ codeSha256?: string; update?: boolean }>(ctx);
    const stackName = fromDependency(ctx, 'execute-change-set', 'stackName') ?? input<{ stackName: string }>(ctx).stackName;
    const { DescribeStackResourcesCommand } = sdk.cloudFormation();
    const { GetFunctionCommand } = sdk.lambda();
    const resources = await callAws('DescribeStackResources', () =>
      aws.forRegion().cloudFormation.send(new DescribeStackResourcesCommand({ StackName: stackName })),
    );
    const fn = resources.StackResources?.find((r) => r.ResourceType === 'AWS::Lambda::Function');
    if (!fn?.PhysicalResourceId) throw new StepError({ message: `Stack ${stackName} has no Lambda function.` });
    const out = await callAws('GetFunction', () => aws.forRegion().lambda.send(new GetFunctionCommand({ FunctionName: fn.PhysicalResourceId })));
    const found = out.Configuration?.CodeSha256;
    if (expected && found !== expected && update) {
      throw new StepError({
        message: `Function ${fn.PhysicalResourceId} does not run the console's current code after the update: its CodeSha256 is ${found ?? 'not given'}, the console's code is ${expected}. Its code was changed again outside stack ${stackName} meanwhile: find out who (CloudTrail: UpdateFunctionCode), then update it again from the Functions page.`,
        output: { functionArn: out.Configuration?.FunctionArn, expectedCodeSha256: expected, foundCodeSha256: found ?? null },
      });
    }
    if (expected && found !== expected) {
      throw new StepError({
        message: `Function ${fn.PhysicalResourceId} does not run the console's rotation function: its CodeSha256 is ${found ?? 'not given'}, the console's code is ${expected}. Rotation was not turned on. Its code was changed after it was deployed, or stack ${stackName} was deployed from other code: find out who (CloudTrail: UpdateFunctionCode, UpdateStack), then delete the stack (aws cloudformation delete-stack --stack-name ${stackName}) and save again.`,
        output: { functionArn: out.Configuration?.FunctionArn, expectedCodeSha256: expected, foundCodeSha256: found ?? null },
      });
    }
    return done(
      { functionArn: out.Configuration?.FunctionArn, functionName: out.Configuration?.FunctionName, roleArn: out.Configuration?.Role ?? null },
      requestIdOf(out),
    );
  };
