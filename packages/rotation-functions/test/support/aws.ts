// The test plays Secrets Manager: it starts a rotation in moto, calls the handler for
// each step, and finishes the rotation the way the service does.
import { randomUUID } from 'node:crypto';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { zipSync } from 'fflate';
import { handler as defaultHandler, type RotationEvent, type RotationStep } from '../../src/handler.ts';

export const sm = (): SecretsManagerClient => new SecretsManagerClient({});

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createSecret(name: string, secretString: string): Promise<{ arn: string; versionId: string }> {
  const out = await sm().send(new CreateSecretCommand({ Name: name, SecretString: secretString }));
  return { arn: out.ARN as string, versionId: out.VersionId as string };
}

export async function stages(secretId: string): Promise<Record<string, string[]>> {
  const out = await sm().send(new DescribeSecretCommand({ SecretId: secretId }));
  return out.VersionIdsToStages ?? {};
}

export async function versionWith(secretId: string, stage: string): Promise<string | undefined> {
  return Object.entries(await stages(secretId)).find(([, s]) => s.includes(stage))?.[0];
}

export async function secretValue(secretId: string, stage = 'AWSCURRENT'): Promise<Record<string, unknown>> {
  const out = await sm().send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
  return JSON.parse(out.SecretString as string) as Record<string, unknown>;
}

let rotationLambdaArn: Promise<string> | undefined;

/**
 * A Lambda in moto that RotateSecret can point at. moto tries to invoke it (there is no
 * Docker here, so the invocation fails silently) and leaves the new version under
 * AWSPENDING without a value, exactly the state real Secrets Manager hands to the
 * rotation function.
 */
export function rotationLambda(): Promise<string> {
  rotationLambdaArn ??= (async () => {
    const name = uniqueName('rotation-trigger');
    const role = await new IAMClient({}).send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    const zip = zipSync({ 'index.mjs': new TextEncoder().encode('export const handler = async () => {};') });
    const fn = await new LambdaClient({}).send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Role: role.Role?.Arn,
        Code: { ZipFile: zip },
      }),
    );
    return fn.FunctionArn as string;
  })();
  return rotationLambdaArn;
}

/** RotateSecret as Secrets Manager receives it; returns the ClientRequestToken (new version id). */
export async function startRotation(secretId: string, options: { automaticallyAfterDays?: number } = {}): Promise<string> {
  const token = randomUUID();
  await sm().send(
    new RotateSecretCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      RotationLambdaARN: await rotationLambda(),
      ...(options.automaticallyAfterDays === 0 ? {} : { RotationRules: { AutomaticallyAfterDays: options.automaticallyAfterDays ?? 30 } }),
    }),
  );
  return token;
}

/**
 * What Secrets Manager does after a successful finishSecret: it removes AWSPENDING.
 * (moto 5.2.1 leaves it on the new AWSCURRENT version and then refuses the next
 * RotateSecret as "still in progress", so the harness does it.)
 */
export async function completeRotation(secretId: string, token: string): Promise<void> {
  const s = await stages(secretId);
  if (s[token]?.includes('AWSPENDING') && s[token]?.includes('AWSCURRENT')) {
    await sm().send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSPENDING', RemoveFromVersionId: token }));
  }
}

export type Handler = (event: RotationEvent) => Promise<void>;

/** Calls the handler for one step, with environment variables set for the call only. */
export async function invoke(
  step: RotationStep,
  secretId: string,
  token: string,
  env: Record<string, string | undefined> = {},
  handler: Handler = defaultHandler,
): Promise<void> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    await handler({ Step: step, SecretId: secretId, ClientRequestToken: token });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export const STEPS: readonly RotationStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

/** A whole rotation the way Secrets Manager runs it; returns the new version id. */
export async function rotate(secretId: string, env: Record<string, string | undefined> = {}, handler: Handler = defaultHandler): Promise<string> {
  const token = await startRotation(secretId);
  for (const step of STEPS) await invoke(step, secretId, token, env, handler);
  await completeRotation(secretId, token);
  return token;
}
