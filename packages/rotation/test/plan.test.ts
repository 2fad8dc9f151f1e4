import type { RotationRequest } from '@rotation-console/contracts';
import { describe, expect, it } from 'vitest';
import { buildRotationPlan, toStages, type PlanInput } from '../src/plan.ts';

const secret = { arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf', name: 'prod/db', engine: 'postgres' };
const master = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/master-XyZ123';

const request = (overrides: Partial<RotationRequest> = {}): RotationRequest => ({
  secretId: secret.name,
  schedule: { kind: 'days', days: 30 },
  rotateImmediately: true,
  acknowledgeSharedFunction: false,
  function: { mode: 'create', functionName: 'pg-rotation', strategy: 'single-user' },
  network: { vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: ['sg-1'], createSecretsManagerEndpoint: true },
  ...overrides,
});

const input = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  region: 'us-east-1',
  accountId: '123456789012',
  secret,
  request: request(),
  rules: { AutomaticallyAfterDays: 30 },
  masterSecretArn: null,
  functionSource: 'bundled-template',
  artifact: { bucket: 'rc-artifacts', key: 'rotation-function/abc.zip', sha256: 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=', managed: true },
  ...overrides,
});

describe('buildRotationPlan', () => {
  it('When a new function is created from the bundled template, then the steps follow the seed session in the order they run (the endpoint in the first stage)', () => {
    const plan = buildRotationPlan(input());

    expect(plan.steps.map((s) => s.kind)).toEqual([
      'upload-function-code',
      'create-secrets-manager-endpoint',
      'create-function-change-set',
      'execute-change-set',
      'read-function-arn',
      'add-invoke-permission',
      'configure-function-vpc',
      'rotate-secret',
      'watch-first-rotation',
    ]);
    expect(plan.steps.map((s) => s.id)).toEqual(plan.stages.flat());
    expect(plan.functionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:pg-rotation');
  });

  it('When the plan has parallel stages, then the CLI session runs its commands in the plan\u2019s order, one per step', () => {
    const plan = buildRotationPlan(
      input({ request: request({ function: { mode: 'create', functionName: 'pg-rotation', strategy: 'alternating-users' } }), masterSecretArn: master }),
    );
    const commands = plan.cliSession.split('\n');
    const at = (text: string) => commands.findIndex((line) => line.includes(text));

    // Every step's command, in the steps' order: the session is the steps' commands one after another.
    expect(plan.cliSession).toBe(
      plan.steps
        .map((s) => s.cli)
        .filter(Boolean)
        .join('\n'),
    );
    expect(at('aws ec2 create-vpc-endpoint')).toBeLessThan(at('aws cloudformation create-change-set'));
    expect(at('aws cloudformation execute-change-set')).toBeLessThan(at('aws lambda add-permission'));
    expect(at('aws iam put-role-policy')).toBeLessThan(at('aws secretsmanager rotate-secret'));
    expect(at('aws secretsmanager rotate-secret')).toBeLessThan(at('aws secretsmanager describe-secret'));
  });

  it('When the plan is staged, then the endpoint is created beside the function and the rotation waits for both', () => {
    const plan = buildRotationPlan(input());

    expect(plan.stages[0]).toEqual(['upload-function-code', 'create-secrets-manager-endpoint']);
    expect(plan.stages).toContainEqual(['add-invoke-permission', 'configure-function-vpc']);
    expect(plan.stages.at(-2)).toEqual(['rotate-secret']);
  });

  it('When AWS has the Serverless Application Repository, then the change set comes from AWS’s template for the engine', () => {
    const plan = buildRotationPlan(input({ functionSource: 'serverless-application-repository' }));

    expect(plan.steps[0]!.kind).toBe('create-function-change-set');
    expect(plan.steps[0]!.cli).toContain('applications/SecretsManagerRDSPostgreSQLRotationSingleUser');
    expect(plan.steps.some((s) => s.kind === 'upload-function-code')).toBe(false);
    // AWS's own code: the console cannot know its hash, so nothing checks it.
    expect(plan.steps.find((s) => s.kind === 'read-function-arn')!.input).not.toHaveProperty('codeSha256');
  });

  it('When the console uses its own artifact bucket, then the upload expects the account, locks the bucket down and the deployed code is checked', () => {
    const plan = buildRotationPlan(input());
    const upload = plan.steps.find((s) => s.kind === 'upload-function-code')!;

    expect(upload.input).toMatchObject({ bucket: 'rc-artifacts', expectedBucketOwner: '123456789012', managed: true, sha256: input().artifact!.sha256 });
    expect(upload.awsCalls).toEqual(expect.arrayContaining(['s3:PutPublicAccessBlock', 's3:PutBucketPolicy', 's3:PutBucketTagging', 's3:GetObject']));
    expect(upload.cli).toContain('aws s3api put-public-access-block --bucket rc-artifacts --expected-bucket-owner 123456789012');
    expect(upload.cli).toContain('"aws:PrincipalAccount":"123456789012"');
    expect(upload.cli).toContain(`--checksum-sha256 ${input().artifact!.sha256} --expected-bucket-owner 123456789012`);
    expect(plan.steps.find((s) => s.kind === 'read-function-arn')!.input).toMatchObject({ codeSha256: input().artifact!.sha256 });
  });

  it('When the operator names an artifact bucket, then the plan neither creates nor changes it', () => {
    const plan = buildRotationPlan(input({ artifact: { ...input().artifact!, managed: false } }));
    const upload = plan.steps.find((s) => s.kind === 'upload-function-code')!;

    expect(upload.awsCalls).toEqual(['s3:HeadBucket', 's3:GetObject', 's3:PutObject']);
    expect(upload.cli).not.toMatch(/create-bucket|put-bucket-policy/);
    expect(upload.input).toMatchObject({ expectedBucketOwner: '123456789012', managed: false });
  });

  it('When an existing function rotates alternating users, then the master secret policy is granted and nothing is created', () => {
    const plan = buildRotationPlan(
      input({
        request: request({
          function: {
            mode: 'existing',
            functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:shared',
            strategy: 'alternating-users',
            masterSecretId: master,
          },
          network: null,
        }),
        masterSecretArn: master,
        functionSource: 'existing',
        existingFunctionRoleName: 'shared-role',
      }),
    );

    expect(plan.steps.map((s) => s.kind)).toEqual(['add-invoke-permission', 'grant-master-secret-access', 'rotate-secret', 'watch-first-rotation']);
    // Read-modify-write: the role keeps the statements of other secrets' masters.
    expect(plan.cliSession).toContain('aws iam get-role-policy --role-name shared-role --policy-name SecretsManagerMasterSecretAccess');
    expect(plan.cliSession).toContain(
      'aws iam put-role-policy --role-name shared-role --policy-name SecretsManagerMasterSecretAccess --policy-document file://master-policy.new.json',
    );
    expect(plan.cliSession).toContain(master);
  });

  it('When rotation should not start at once, then the CLI says --no-rotate-immediately', () => {
    const plan = buildRotationPlan(
      input({ request: request({ rotateImmediately: false }), rules: { ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '3h' } }),
    );
    const rotate = plan.steps.find((s) => s.kind === 'rotate-secret')!;

    expect(rotate.cli).toBe(
      `aws secretsmanager rotate-secret --secret-id prod/db --rotation-lambda-arn arn:aws:lambda:us-east-1:123456789012:function:pg-rotation --rotation-rules '{"ScheduleExpression":"cron(0 4 ? * SUN *)","Duration":"3h"}' --no-rotate-immediately --region us-east-1`,
    );
  });

  it('When a plan is built, then every AWS CLI command of its session names the plan\u2019s region, those joined by && included', () => {
    const plan = buildRotationPlan(
      input({ region: 'eu-west-1', request: request({ function: { mode: 'create', functionName: 'pg-rotation', strategy: 'single-user' } }) }),
    );
    const commands = plan.cliSession.split('\n').flatMap((line) => line.split(' && '));

    expect(commands.filter((c) => c.startsWith('aws ')).length).toBeGreaterThan(5);
    expect(commands.filter((c) => c.startsWith('aws ') && !c.endsWith(' --region eu-west-1'))).toEqual([]);
    expect(plan.cliSession.split('\n')[0]).not.toContain('configure');
  });

  it('When the console acts in a member account through its role there, then the session starts with a profile that assumes that role', () => {
    const plan = buildRotationPlan(input({ assumedRole: { roleArn: 'arn:aws:iam::111111111111:role/RotationConsoleOperator', accountId: '111111111111' } }));
    const lines = plan.cliSession.split('\n');

    expect(lines.slice(0, 3)).toEqual([
      'aws configure set role_arn arn:aws:iam::111111111111:role/RotationConsoleOperator --profile rotation-console-111111111111',
      'aws configure set source_profile default --profile rotation-console-111111111111',
      'export AWS_PROFILE=rotation-console-111111111111',
    ]);
    expect(lines.slice(3).join('\n')).toBe(
      plan.steps
        .map((s) => s.cli)
        .filter(Boolean)
        .join('\n'),
    );
  });
});

describe('toStages', () => {
  it('When steps form a cycle, then the plan is refused', () => {
    expect(() =>
      toStages([
        { id: 'a', dependsOn: ['b'] },
        { id: 'b', dependsOn: ['a'] },
      ]),
    ).toThrow(/cycle/);
  });
});
