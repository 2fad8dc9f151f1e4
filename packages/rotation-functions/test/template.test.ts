// The CloudFormation template: cfn-lint clean, parameters as exported, and deployable on
// moto through CreateChangeSet / ExecuteChangeSet with the zip in S3.
import { spawnSync } from 'node:child_process';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateSummaryCommand,
} from '@aws-sdk/client-cloudformation';
import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRotationFunctionZip, type RotationFunctionZip } from '../src/build.ts';
import {
  ROTATION_TEMPLATE_PARAMETERS,
  ROTATION_TEMPLATE_PARAMETER_NAMES,
  ROTATION_TEMPLATE_PATH,
  ROTATION_TEMPLATE_RESOURCES,
  readRotationTemplate,
  toCloudFormationParameters,
  type RotationTemplateParameters,
} from '../src/template.ts';
import { createSecret, uniqueName } from './support/aws.ts';

const cfn = () => new CloudFormationClient({});
const lambda = () => new LambdaClient({});
const iam = () => new IAMClient({});

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} timed out: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Deploys the template as a new stack through a change set, the way the API will. */
async function deploy(parameters: RotationTemplateParameters): Promise<string> {
  const stackName = uniqueName('rotation-fn');
  const templateBody = await readRotationTemplate();
  await cfn().send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: 'create',
      ChangeSetType: 'CREATE',
      TemplateBody: templateBody,
      Parameters: toCloudFormationParameters(parameters),
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  await until(
    'change set',
    () => cfn().send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: 'create' })),
    (c) => c.Status === 'CREATE_COMPLETE' || c.Status === 'FAILED',
  ).then((c) => expect(c.Status, c.StatusReason).toBe('CREATE_COMPLETE'));
  await cfn().send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: 'create' }));
  const stack = await until(
    'stack',
    () => cfn().send(new DescribeStacksCommand({ StackName: stackName })),
    (s) => !String(s.Stacks?.[0]?.StackStatus).endsWith('IN_PROGRESS'),
  );
  expect(stack.Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
  return stackName;
}

async function resources(stackName: string): Promise<Record<string, { type: string; physicalId: string; status: string }>> {
  const out = await cfn().send(new DescribeStackResourcesCommand({ StackName: stackName }));
  return Object.fromEntries(
    (out.StackResources ?? []).map((r) => [
      r.LogicalResourceId,
      { type: String(r.ResourceType), physicalId: String(r.PhysicalResourceId), status: String(r.ResourceStatus) },
    ]),
  );
}

/**
 * An inline policy document as IAM returns it. moto 5.2.1 quirks: for roles made by
 * CloudFormation it returns the Python repr of the document (single quotes, None) and
 * keeps an `Fn::If … AWS::NoValue` statement as None instead of dropping it, so both are
 * undone here (real CloudFormation drops the statement).
 */
function parsePolicyDocument(doc: string): { Statement: Record<string, unknown>[] } {
  const text = decodeURIComponent(doc);
  let parsed: { Statement: (Record<string, unknown> | null)[] };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = JSON.parse(text.replaceAll("'", '"').replaceAll('None', 'null').replaceAll('True', 'true').replaceAll('False', 'false')) as typeof parsed;
  }
  return { Statement: parsed.Statement.filter((s): s is Record<string, unknown> => s !== null) };
}

async function rolePolicies(roleName: string): Promise<Record<string, { Statement: Record<string, unknown>[] }>> {
  const names = (await iam().send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
  const out: Record<string, { Statement: Record<string, unknown>[] }> = {};
  for (const name of names) {
    const doc = (await iam().send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))).PolicyDocument ?? '{}';
    out[name] = parsePolicyDocument(doc);
  }
  return out;
}

describe('rotation function template', () => {
  let pkg: RotationFunctionZip;
  const bucket = uniqueName('rotation-code');
  const key = 'rotation-function.zip';

  beforeAll(async () => {
    pkg = await buildRotationFunctionZip();
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: pkg.zip }));
  });

  it('When cfn-lint checks the template, then it reports nothing', () => {
    // Act
    const result = spawnSync('cfn-lint', [ROTATION_TEMPLATE_PATH], { encoding: 'utf8' });

    // Assert
    expect(result.error).toBeUndefined();
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('When CloudFormation summarises the template, then its parameters are exactly the exported ones with the same defaults', async () => {
    // Act
    const summary = await cfn().send(new GetTemplateSummaryCommand({ TemplateBody: await readRotationTemplate() }));

    // Assert
    const declared = summary.Parameters ?? [];
    expect(declared.map((p) => p.ParameterKey).sort()).toEqual([...ROTATION_TEMPLATE_PARAMETER_NAMES].sort());
    for (const p of declared) {
      const spec = ROTATION_TEMPLATE_PARAMETERS[p.ParameterKey as keyof typeof ROTATION_TEMPLATE_PARAMETERS];
      expect(p.NoEcho ?? false).toBe(false);
      if (spec.required) expect(p.DefaultValue, p.ParameterKey).toBeUndefined();
      else expect(String(p.DefaultValue), p.ParameterKey).toBe(spec.default);
    }
  });

  it('When deployed for single-user rotation through a change set, then it creates the function, its least-privilege role and the Secrets Manager permission', async () => {
    // Arrange
    const functionName = uniqueName('rotate-single');

    // Act
    const stackName = await deploy({
      functionName,
      codeS3Bucket: bucket,
      codeS3Key: key,
      engine: 'postgres',
      rotationStrategy: 'single-user',
      endpoint: 'https://secretsmanager.us-east-1.amazonaws.com',
    });

    // Assert: resources
    const r = await resources(stackName);
    expect(r[ROTATION_TEMPLATE_RESOURCES.function]).toMatchObject({ type: 'AWS::Lambda::Function', status: 'CREATE_COMPLETE' });
    expect(r[ROTATION_TEMPLATE_RESOURCES.role]).toMatchObject({ type: 'AWS::IAM::Role', status: 'CREATE_COMPLETE' });
    expect(r[ROTATION_TEMPLATE_RESOURCES.permission]).toMatchObject({ type: 'AWS::Lambda::Permission', status: 'CREATE_COMPLETE' });

    // Assert: the function runs our zip on nodejs24.x with the configuration in its environment
    const fn = await lambda().send(new GetFunctionCommand({ FunctionName: functionName }));
    const roleName = r[ROTATION_TEMPLATE_RESOURCES.role]?.physicalId as string;
    expect(fn.Configuration).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', CodeSha256: pkg.sha256, CodeSize: pkg.zip.length });
    expect(fn.Configuration?.Role).toMatch(new RegExp(`:role/${roleName}$`));
    // moto 5.2.1 keeps a Number parameter as a JSON number in the environment; Lambda stores strings.
    const variables = Object.fromEntries(Object.entries(fn.Configuration?.Environment?.Variables ?? {}).map(([k, v]) => [k, String(v)]));
    expect(variables).toEqual({
      SECRETS_MANAGER_ENDPOINT: 'https://secretsmanager.us-east-1.amazonaws.com',
      ROTATION_STRATEGY: 'single-user',
      DB_ENGINE: 'postgres',
      EXCLUDE_CHARACTERS: '/@"\'\\',
      PASSWORD_LENGTH: '32',
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
    });
    expect(fn.Configuration?.VpcConfig?.SubnetIds ?? []).toEqual([]);

    // Assert: only Secrets Manager of this account may invoke it
    const policy = JSON.parse(String((await lambda().send(new GetPolicyCommand({ FunctionName: functionName }))).Policy)) as {
      Statement: Record<string, unknown>[];
    };
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Principal: { Service: 'secretsmanager.amazonaws.com' },
      Condition: { StringEquals: { 'AWS:SourceAccount': '123456789012' } },
    });

    // Assert: the role may touch only secrets whose rotation uses this function, plus GetRandomPassword and its own logs
    const policies = await rolePolicies(roleName);
    expect(Object.keys(policies).sort()).toEqual(['RotationFunctionExecution', 'SecretsManagerRotation']);
    const statements = policies.SecretsManagerRotation?.Statement ?? [];
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatchObject({
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
      Resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:*',
      Condition: { StringEquals: { 'secretsmanager:resource/AllowRotationLambdaArn': `arn:aws:lambda:us-east-1:123456789012:function:${functionName}` } },
    });
    expect(statements[1]).toMatchObject({ Action: 'secretsmanager:GetRandomPassword', Resource: '*' });
    const execution = policies.RotationFunctionExecution?.Statement ?? [];
    expect(execution).toHaveLength(2);
    expect(execution.map((st) => st.Resource)).toEqual([
      `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${functionName}`,
      `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${functionName}:*`,
    ]);
  });

  it('When deployed for alternating users inside a VPC, then the role may also read the master secret and the function gets the VPC config', async () => {
    // Arrange
    const functionName = uniqueName('rotate-multi');
    const master = await createSecret(uniqueName('master'), JSON.stringify({ engine: 'mysql', host: 'db', username: 'admin', password: 'x' }));

    // Act
    const stackName = await deploy({
      functionName,
      codeS3Bucket: bucket,
      codeS3Key: key,
      engine: 'mariadb',
      rotationStrategy: 'alternating-users',
      masterSecretArn: master.arn,
      vpcSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      vpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      excludeCharacters: ':/@"\'\\',
    });

    // Assert
    const r = await resources(stackName);
    const fn = await lambda().send(new GetFunctionCommand({ FunctionName: functionName }));
    expect(fn.Configuration?.Environment?.Variables).toMatchObject({
      ROTATION_STRATEGY: 'alternating-users',
      DB_ENGINE: 'mariadb',
      EXCLUDE_CHARACTERS: ':/@"\'\\',
    });
    expect(fn.Configuration?.VpcConfig?.SubnetIds).toEqual(['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210']);
    expect(fn.Configuration?.VpcConfig?.SecurityGroupIds).toEqual(['sg-0123456789abcdef0']);
    const policies = await rolePolicies(r[ROTATION_TEMPLATE_RESOURCES.role]?.physicalId as string);
    expect(Object.keys(policies).sort()).toEqual(['RotationFunctionExecution', 'SecretsManagerRotation']);
    expect(policies.SecretsManagerRotation?.Statement).toHaveLength(3);
    expect(policies.SecretsManagerRotation?.Statement).toContainEqual({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: master.arn });
    expect(policies.RotationFunctionExecution?.Statement).toHaveLength(3);
    expect(policies.RotationFunctionExecution?.Statement[2]).toMatchObject({ Action: expect.arrayContaining(['ec2:CreateNetworkInterface']), Resource: '*' });
    expect(fn.Configuration?.Role).toMatch(new RegExp(`:role/${r[ROTATION_TEMPLATE_RESOURCES.role]?.physicalId}$`));
  });
});
