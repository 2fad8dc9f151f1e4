import type { PlanStep, RotationRequest, RotationStrategy, StepKind } from '@rotation-console/contracts';
import { ARTIFACT_PUBLIC_ACCESS_BLOCK, artifactBucketPolicy, MANAGED_BY_TAG } from './artifact-bucket.ts';
import { grantMasterCli, MASTER_POLICY_NAME } from './master-grants.ts';
import { ENGINE_FAMILIES } from './secret-format.ts';
import { inRegion, shellQuote } from './shell.ts';

/**
 * Builds the ordered plan for turning rotation on: every AWS call the console's Save
 * makes, which steps run side by side, and the AWS CLI session that does the same
 * (the seed page's session, filled in). Pure: the API supplies what it read from AWS.
 */

export type FunctionSource = 'serverless-application-repository' | 'bundled-template' | 'existing';

/** The session's first lines in a member account: a CLI profile that assumes the console's role there from the operator's default profile. */
const assumeRoleProfile = ({ roleArn, accountId }: { roleArn: string; accountId: string }): string[] => {
  const profile = `rotation-console-${accountId}`;
  return [
    `aws configure set role_arn ${roleArn} --profile ${profile}`,
    `aws configure set source_profile default --profile ${profile}`,
    `export AWS_PROFILE=${profile}`,
  ];
};

/** RotateSecret's RotationRules, as validated. */
export interface AwsRotationRules {
  AutomaticallyAfterDays?: number;
  ScheduleExpression?: string;
  Duration?: string;
}

export interface PlanInput {
  region: string;
  accountId: string;
  partition?: string;
  secret: { arn: string; name: string; engine: string | null };
  request: RotationRequest;
  rules: AwsRotationRules;
  masterSecretArn: string | null;
  functionSource: FunctionSource;
  /**
   * Where the bundled template's code is uploaded (bundled-template only), and its SHA-256
   * (base64, as S3 checksums and Lambda's CodeSha256 show it). `managed`: the console's own
   * bucket, which it creates and locks down; false for ARTIFACT_BUCKET, the operator's.
   */
  artifact?: ArtifactPlacement;
  /** The existing function's role, when known (for the master secret policy). */
  existingFunctionRoleName?: string | null;
  /**
   * The console's role in the secret's account, when it acts there through one (a member account
   * of the fleet): the CLI session starts by making a profile that assumes it.
   */
  assumedRole?: { roleArn: string; accountId: string } | null;
  /** The tags the console puts on what it creates (the team, managed-by): on the stack, which passes them to its resources, and on the endpoint. */
  ownerTags?: { Key: string; Value: string }[];
}

/** A plan step with what the runner needs to carry it out. */
export interface PlannedStep extends PlanStep {
  input: Record<string, unknown>;
}

export interface BuiltPlan {
  functionName: string;
  functionArn: string;
  stackName: string | null;
  steps: PlannedStep[];
  stages: string[][];
  cliSession: string;
}

/** AWS's own templates in the Serverless Application Repository, by engine family and strategy. */
const SAR_APPLICATIONS: Record<string, Record<RotationStrategy, string>> = {
  postgres: { 'single-user': 'SecretsManagerRDSPostgreSQLRotationSingleUser', 'alternating-users': 'SecretsManagerRDSPostgreSQLRotationMultiUser' },
  mysql: { 'single-user': 'SecretsManagerRDSMySQLRotationSingleUser', 'alternating-users': 'SecretsManagerRDSMySQLRotationMultiUser' },
  mariadb: { 'single-user': 'SecretsManagerRDSMariaDBRotationSingleUser', 'alternating-users': 'SecretsManagerRDSMariaDBRotationMultiUser' },
};
/** The engines the functions rotate (ENGINE_FAMILIES), by template: AWS has MariaDB templates of their own. */
const SAR_ENGINE: Record<string, keyof typeof SAR_APPLICATIONS> = { ...ENGINE_FAMILIES, mariadb: 'mariadb' };

/** AWS publishes its rotation templates from one account in us-east-1; the ARN serves every Region. */
export const sarApplicationId = (engine: string | null, strategy: RotationStrategy): string | null => {
  const family = engine ? SAR_ENGINE[engine] : undefined;
  if (!family) return null;
  return `arn:aws:serverlessrepo:us-east-1:297356227824:applications/${SAR_APPLICATIONS[family]![strategy]}`;
};

export const SECRETS_MANAGER_PRINCIPAL = 'secretsmanager.amazonaws.com';
export const INVOKE_STATEMENT_ID = 'SecretsManagerAccess';

export const step = (
  kind: StepKind,
  title: string,
  awsCalls: string[],
  dependsOn: StepKind[],
  cli: string | null,
  input: Record<string, unknown>,
): PlannedStep => ({
  id: kind,
  kind,
  title,
  awsCalls,
  dependsOn,
  cli,
  input,
});

/** Where the bundled function's code goes (an S3 object in the artifact bucket), and its SHA-256 as Lambda shows CodeSha256. */
export interface ArtifactPlacement {
  bucket: string;
  key: string;
  sha256: string;
  /** The console's own bucket, which it creates and locks down; false for ARTIFACT_BUCKET, the operator's. */
  managed: boolean;
}

/** The step that puts the bundled function's zip in the artifact bucket (and the console's bucket in place, locked down). */
export const uploadCodeStep = (
  artifact: ArtifactPlacement,
  { accountId, region, partition }: { accountId: string; region: string; partition: string },
): PlannedStep => {
  const owner = `--expected-bucket-owner ${accountId}`;
  const lockDown = artifact.managed
    ? [
        `aws s3api create-bucket --bucket ${artifact.bucket}${region === 'us-east-1' ? '' : ` --create-bucket-configuration LocationConstraint=${region}`}`,
        `aws s3api put-public-access-block --bucket ${artifact.bucket} ${owner} --public-access-block-configuration ${Object.entries(
          ARTIFACT_PUBLIC_ACCESS_BLOCK,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}`,
        `aws s3api put-bucket-policy --bucket ${artifact.bucket} ${owner} --policy ${shellQuote(JSON.stringify(artifactBucketPolicy({ bucket: artifact.bucket, accountId, partition })))}`,
        `aws s3api put-bucket-tagging --bucket ${artifact.bucket} ${owner} --tagging ${shellQuote(`TagSet=[{Key=${MANAGED_BY_TAG.Key},Value=${MANAGED_BY_TAG.Value}}]`)}`,
      ]
    : [`aws s3api head-bucket --bucket ${artifact.bucket} ${owner}`];
  return step(
    'upload-function-code',
    'Upload the rotation function\u2019s code',
    [
      's3:HeadBucket',
      ...(artifact.managed
        ? [
            's3:CreateBucket',
            's3:GetPublicAccessBlock',
            's3:PutPublicAccessBlock',
            's3:GetBucketPolicy',
            's3:PutBucketPolicy',
            's3:GetBucketTagging',
            's3:PutBucketTagging',
          ]
        : []),
      's3:GetObject',
      's3:PutObject',
    ],
    [],
    [
      ...lockDown,
      `aws s3api put-object --bucket ${artifact.bucket} --key ${artifact.key} --body rotation-function.zip --checksum-sha256 ${artifact.sha256} ${owner}`,
    ].join(' && '),
    { bucket: artifact.bucket, key: artifact.key, sha256: artifact.sha256, managed: artifact.managed, expectedBucketOwner: accountId, partition },
  );
};

/**
 * The steps in the order they run, stage by stage, as a review lists them (an independent step runs
 * in the first stage, not where it was added), each CLI command in the plan's region, and the CLI
 * session: in a member account it starts by making a profile that assumes the console's role there.
 */
export const orderPlan = (steps: PlannedStep[], region: string, assumedRole: PlanInput['assumedRole']) => {
  const stages = toStages(steps);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const ordered = stages.flat().map((id) => {
    const s = byId.get(id)!;
    return { ...s, cli: s.cli && inRegion(s.cli, region) };
  });
  return {
    steps: ordered,
    stages,
    cliSession: [...(assumedRole ? assumeRoleProfile(assumedRole) : []), ...ordered.map((s) => s.cli).filter((c): c is string => Boolean(c))].join('\n'),
  };
};

/** Groups step ids into stages: each stage's steps only depend on earlier stages, so they run side by side. */
export const toStages = (steps: Pick<PlanStep, 'id' | 'dependsOn'>[]): string[][] => {
  const done = new Set<string>();
  const stages: string[][] = [];
  let remaining = [...steps];
  while (remaining.length) {
    const ready = remaining.filter((s) => s.dependsOn.every((d) => done.has(d)));
    if (!ready.length) throw new Error(`The plan has a dependency cycle among ${remaining.map((s) => s.id).join(', ')}`);
    stages.push(ready.map((s) => s.id));
    for (const s of ready) done.add(s.id);
    remaining = remaining.filter((s) => !done.has(s.id));
  }
  return stages;
};

/** "arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]" or "NAME" -> "NAME". */
export const functionNameOf = (arnOrName: string): string => {
  const parts = arnOrName.split(':');
  const at = parts.indexOf('function');
  return at >= 0 && parts[at + 1] ? parts[at + 1]! : arnOrName;
};

export const stackNameFor = (functionName: string) => `SecretsManagerRotation-${functionName}`.slice(0, 128);

export const buildRotationPlan = (input: PlanInput): BuiltPlan => {
  const { region, accountId, request, secret, rules, masterSecretArn } = input;
  const tags = input.ownerTags ?? [];
  const cliTags = tags.length ? ` --tags ${tags.map((t) => shellQuote(`Key=${t.Key},Value=${t.Value}`)).join(' ')}` : '';
  const partition = input.partition ?? 'aws';
  const fn = request.function;
  const creating = fn.mode === 'create';
  const functionName = creating ? fn.functionName : functionNameOf(fn.functionArn);
  const functionArn = creating ? `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}` : fn.functionArn;
  const stackName = creating ? stackNameFor(functionName) : null;
  const network = request.network;
  const multiUser = fn.strategy === 'alternating-users';
  const endpointUrl = `https://secretsmanager.${region}.amazonaws.com`;
  const steps: PlannedStep[] = [];
  const beforeRotate: StepKind[] = [];
  // The bundled template's function must run the code the console uploaded. AWS's own template
  // (Serverless Application Repository) deploys AWS's code, whose hash the console cannot know.
  const expectedCodeSha256 = input.functionSource === 'bundled-template' ? input.artifact?.sha256 : undefined;

  if (creating && stackName) {
    const templateParameters: Record<string, string> = {
      endpoint: endpointUrl,
      functionName,
      ...(network ? { vpcSubnetIds: network.subnetIds.join(','), vpcSecurityGroupIds: network.securityGroupIds.join(',') } : {}),
      ...(multiUser && masterSecretArn ? { masterSecretArn } : {}),
    };
    const changeSetName = `rotation-console-${functionName}`.slice(0, 128);
    if (input.functionSource === 'serverless-application-repository') {
      const applicationId = sarApplicationId(secret.engine, fn.strategy)!;
      const overrides = JSON.stringify(Object.entries(templateParameters).map(([Name, Value]) => ({ Name, Value })));
      steps.push(
        step(
          'create-function-change-set',
          'Create the rotation function change set from AWS\u2019s template',
          ['serverlessrepo:CreateCloudFormationChangeSet'],
          [],
          `aws serverlessrepo create-cloud-formation-change-set --application-id ${applicationId} --parameter-overrides ${shellQuote(overrides)} --capabilities CAPABILITY_IAM CAPABILITY_RESOURCE_POLICY --stack-name ${stackName}${cliTags}`,
          { source: 'serverless-application-repository', applicationId, stackName, parameters: templateParameters, tags },
        ),
      );
    } else {
      const artifact = input.artifact!;
      const parameters = {
        ...templateParameters,
        engine: secret.engine ?? 'postgres',
        rotationStrategy: fn.strategy,
        codeS3Bucket: artifact.bucket,
        codeS3Key: artifact.key,
      };
      steps.push(
        uploadCodeStep(artifact, { accountId, region, partition }),
        step(
          'create-function-change-set',
          'Create the rotation function change set from the bundled template',
          ['cloudformation:DescribeStacks', 'cloudformation:DescribeChangeSet', 'cloudformation:CreateChangeSet'],
          ['upload-function-code'],
          `aws cloudformation create-change-set --stack-name ${stackName} --change-set-name ${changeSetName} --change-set-type CREATE --template-body file://rotation-function.yaml --capabilities CAPABILITY_NAMED_IAM --parameters ${Object.entries(
            parameters,
          )
            .map(([k, v]) => shellQuote(`ParameterKey=${k},ParameterValue=${v.replace(/,/g, '\\,')}`))
            .join(' ')}${cliTags}`,
          { source: 'bundled-template', stackName, changeSetName, parameters, tags },
        ),
      );
    }
    steps.push(
      step(
        'execute-change-set',
        'Run the change set and wait for the stack',
        ['cloudformation:DescribeStacks', 'cloudformation:ExecuteChangeSet'],
        ['create-function-change-set'],
        `aws cloudformation execute-change-set --change-set-name ${changeSetName} --stack-name ${stackName} && aws cloudformation wait stack-create-complete --stack-name ${stackName}`,
        { stackName },
      ),
      step(
        'read-function-arn',
        'Read the new function\u2019s ARN from the stack',
        ['cloudformation:DescribeStackResources', 'lambda:GetFunction'],
        ['execute-change-set'],
        `aws cloudformation describe-stack-resources --stack-name ${stackName} --query "StackResources[?ResourceType=='AWS::Lambda::Function'].PhysicalResourceId"${
          expectedCodeSha256 ? ` && aws lambda get-function --function-name ${functionName} --query Configuration.CodeSha256` : ''
        }`,
        { stackName, functionName, ...(expectedCodeSha256 ? { codeSha256: expectedCodeSha256 } : {}) },
      ),
    );
  }

  const functionReady: StepKind[] = creating ? ['read-function-arn'] : [];

  steps.push(
    step(
      'add-invoke-permission',
      'Allow Secrets Manager to invoke the function',
      ['lambda:GetPolicy', 'lambda:AddPermission'],
      functionReady,
      `aws lambda add-permission --function-name ${functionName} --principal ${SECRETS_MANAGER_PRINCIPAL} --action lambda:InvokeFunction --statement-id ${INVOKE_STATEMENT_ID} --source-account ${accountId}`,
      { functionArn, statementId: INVOKE_STATEMENT_ID, sourceAccount: accountId },
    ),
  );
  beforeRotate.push('add-invoke-permission');

  if (network) {
    steps.push(
      step(
        'configure-function-vpc',
        'Put the function in the database\u2019s VPC',
        ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration'],
        functionReady,
        `aws lambda update-function-configuration --function-name ${functionArn} --vpc-config SubnetIds=${network.subnetIds.join(',')},SecurityGroupIds=${network.securityGroupIds.join(',')}`,
        { functionArn, subnetIds: network.subnetIds, securityGroupIds: network.securityGroupIds },
      ),
    );
    beforeRotate.push('configure-function-vpc');
    if (network.createSecretsManagerEndpoint) {
      const serviceName = `com.amazonaws.${region}.secretsmanager`;
      steps.push(
        step(
          'create-secrets-manager-endpoint',
          'Create a Secrets Manager interface endpoint in the VPC',
          ['ec2:DescribeVpcEndpoints', 'ec2:CreateVpcEndpoint'],
          [],
          `aws ec2 create-vpc-endpoint --vpc-id ${network.vpcId} --vpc-endpoint-type Interface --service-name ${serviceName} --subnet-ids ${network.subnetIds.join(' ')} --security-group-ids ${network.securityGroupIds.join(' ')} --private-dns-enabled${
            tags.length
              ? ` --tag-specifications ${shellQuote(`ResourceType=vpc-endpoint,Tags=[${tags.map((t) => `{Key=${t.Key},Value=${t.Value}}`).join(',')}]`)}`
              : ''
          }`,
          { vpcId: network.vpcId, serviceName, subnetIds: network.subnetIds, securityGroupIds: network.securityGroupIds, tags },
        ),
      );
      beforeRotate.push('create-secrets-manager-endpoint');
    }
  }

  if (multiUser && masterSecretArn) {
    steps.push(
      step(
        'grant-master-secret-access',
        'Let the function read the master secret',
        ['lambda:GetFunctionConfiguration', 'iam:GetRolePolicy', 'iam:PutRolePolicy'],
        functionReady,
        // Read, add this master's statement, write back: other secrets' grants on a shared role stay.
        grantMasterCli(input.existingFunctionRoleName ?? '<the function\u2019s execution role>', masterSecretArn),
        { functionArn, masterSecretArn, policyName: MASTER_POLICY_NAME },
      ),
    );
    beforeRotate.push('grant-master-secret-access');
  }

  const rotateCli = `aws secretsmanager rotate-secret --secret-id ${shellQuote(secret.name)} --rotation-lambda-arn ${functionArn} --rotation-rules ${shellQuote(JSON.stringify(rules))}${request.rotateImmediately ? '' : ' --no-rotate-immediately'}`;
  steps.push(
    step(
      'rotate-secret',
      request.rotateImmediately ? 'Turn rotation on and rotate once' : 'Turn rotation on',
      ['secretsmanager:DescribeSecret', 'secretsmanager:RotateSecret'],
      beforeRotate,
      rotateCli,
      { secretArn: secret.arn, functionArn, rules, rotateImmediately: request.rotateImmediately },
    ),
    step(
      'watch-first-rotation',
      request.rotateImmediately ? 'Watch the first rotation' : 'Check the rotation configuration',
      ['secretsmanager:DescribeSecret', 'logs:FilterLogEvents'],
      ['rotate-secret'],
      `aws secretsmanager describe-secret --secret-id ${shellQuote(secret.name)}`,
      { secretArn: secret.arn, functionName, rotateImmediately: request.rotateImmediately },
    ),
  );

  return { functionName, functionArn, stackName, ...orderPlan(steps, region, input.assumedRole) };
};
