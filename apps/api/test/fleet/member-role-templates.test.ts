import { readFileSync } from 'node:fs';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { inMotoAccount } from '@rotation-console/harness/aws.ts';
import { actionMatches } from '@rotation-console/rotation';
import { ROTATION_TEMPLATE_PATH } from '@rotation-console/rotation-functions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  allowedActions,
  allowing,
  cfnLint,
  decodeTemplate,
  inlinePolicies,
  list,
  MEMBER_ROLE_TEMPLATES,
  statementsOf,
  type InlinePolicy,
  type Statement,
  type Variant,
} from './member-role-template.ts';
import { actionsOf, awsCalls } from './sdk-calls.ts';
import { motoEndpoint, reset } from '../support/support.ts';

await reset();

/**
 * The member-account roles (deploy/member-roles), which a StackSet puts in every account of the
 * organization for the console to assume: both lint clean; the operator role allows every AWS call
 * the API's code sends to a member account (read from the code, so a new call without its
 * permission fails here); the reader allows what the read routes call and no change at all; and
 * both deploy on moto in a member account, where the console's role can assume them.
 */

/**
 * Calls that never reach a member account's role, left out of the check. Everything else the
 * API sends goes to the secret's own account, under the member role.
 */
const NOT_IN_MEMBER_ACCOUNTS: Record<string, string> = {
  // The console assumes the member role (and a team's role) with its own credentials, in its own account.
  'sts:AssumeRole': 'the console calls it with its own credentials',
  // STS answers GetCallerIdentity for any credentials: no policy allows or denies it.
  'sts:GetCallerIdentity': 'needs no permission',
  // Organizations mode lists the accounts from the management (or delegated administrator) account.
  'organizations:ListAccounts': 'the console calls it in the management or delegated administrator account',
  // Rotation events (modules/events): the queue and the rule are the console's own account's; member accounts forward (deploy/events).
  'sqs:ReceiveMessage': "the events' queue is in the console's own account",
  'sqs:DeleteMessage': "the events' queue is in the console's own account",
  'sqs:GetQueueUrl': "the events' queue is in the console's own account",
  'sqs:GetQueueAttributes': "the events' queue is in the console's own account",
  'sqs:SetQueueAttributes': "the events' queue is in the console's own account",
  'sqs:CreateQueue': "the events' queue is in the console's own account",
  'events:DescribeRule': "the events' rule is in the console's own account",
  'events:PutRule': "the events' rule is in the console's own account",
  'events:ListTargetsByRule': "the events' rule is in the console's own account",
  'events:PutTargets': "the events' rule is in the console's own account",
};

/**
 * What AWS checks besides a call's own action (AWS's documentation of each call), so the operator
 * role must allow these too wherever the call appears.
 */
const ALSO_NEEDED: Record<string, string[]> = {
  // RotateSecret: "You also need lambda:InvokeFunction permissions on the rotation function."
  'secretsmanager:RotateSecret': ['lambda:InvokeFunction'],
  // The value of a secret under a customer managed key: kms:Decrypt on that key.
  'secretsmanager:GetSecretValue': ['kms:Decrypt'],
  // EC2 authorizes tags given on creation (TagSpecifications) as ec2:CreateTags.
  'ec2:CreateVpcEndpoint': ['ec2:CreateTags'],
  // AWS's rotation templates use the AWS::Serverless transform.
  'serverlessrepo:CreateCloudFormationChangeSet': ['cloudformation:CreateChangeSet'],
};

/**
 * The console passes CloudFormation no service role, so ExecuteChangeSet creates the bundled
 * template's resources with the member role's credentials: what each resource type's create (and
 * rollback) calls. A resource type the bundled template gains must be added here and to the template.
 */
const CLOUDFORMATION_CREATES: Record<string, string[]> = {
  'AWS::IAM::Role': [
    'iam:CreateRole',
    'iam:TagRole',
    'iam:GetRole',
    'iam:PutRolePolicy',
    'iam:GetRolePolicy',
    'iam:ListRolePolicies',
    'iam:ListAttachedRolePolicies',
    'iam:DeleteRolePolicy',
    'iam:DeleteRole',
  ],
  'AWS::Lambda::Function': [
    'lambda:CreateFunction',
    'lambda:GetFunction',
    'lambda:TagResource',
    'lambda:DeleteFunction',
    'lambda:GetFunctionCodeSigningConfig',
    'lambda:GetFunctionRecursionConfig',
    'lambda:GetRuntimeManagementConfig',
    'iam:PassRole',
    's3:GetObject',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSubnets',
    'ec2:DescribeVpcs',
  ],
  'AWS::Lambda::Permission': ['lambda:AddPermission', 'lambda:GetPolicy', 'lambda:RemovePermission'],
};

/**
 * What updating the bundled template's stack (the Functions page's Update of the console's function:
 * new code, every other parameter kept) calls beyond what creating it does, per resource type.
 */
const CLOUDFORMATION_UPDATES: Record<string, string[]> = {
  'AWS::IAM::Role': ['iam:PutRolePolicy', 'iam:GetRolePolicy'],
  'AWS::Lambda::Function': ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:GetFunction', 'lambda:ListTags', 's3:GetObject'],
  'AWS::Lambda::Permission': [],
};

/**
 * The files behind the read routes: the dashboard's crawl and the Secrets list's Refresh
 * (crawl.aws.ts), a secret's page and timeline (secrets.aws.ts), and "healthy" and the timeline's
 * log lines (aws-function-logs.ts). The portal and the dashboard read only the index.
 */
// Not the Functions page's (modules/functions): ListFunctions answers each function's environment
// variables, values and all, which this role is kept from; with it, that page shows each member
// account failed (AccessDenied) and the rest of the console reads as before.
const READ_ROUTE_FILES = ['modules/dashboard/crawl.aws.ts', 'modules/secrets/secrets.aws.ts', 'platform/aws-function-logs.ts'];

/** Action verbs that change something (or hand something over); the reader has none. */
const CHANGING_VERB = /^(Create|Put|Update|Delete|Rotate|Cancel|Tag|Untag|Add|Remove|Invoke|Pass)/;

const memberAccountActions = (files?: string[]) => actionsOf(awsCalls(files)).filter((a) => !NOT_IN_MEMBER_ACCOUNTS[a]);

describe('member-account role templates', () => {
  it('When cfn-lint checks both templates, then it reports nothing', () => {
    // Act
    const { status, output } = cfnLint(MEMBER_ROLE_TEMPLATES.reader, MEMBER_ROLE_TEMPLATES.operator);

    // Assert
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('When the API source is scanned for AWS calls, then every call sent to a member account is allowed by an operator statement', () => {
    // Arrange
    const statements = statementsOf(decodeTemplate(MEMBER_ROLE_TEMPLATES.operator));
    const calls = awsCalls().filter((c) => !NOT_IN_MEMBER_ACCOUNTS[c.action]);
    // The scan must see the calls at all: an empty scan would allow anything.
    expect(calls.length).toBeGreaterThan(40);

    // Act
    const missing = calls.filter((c) => allowing(statements, c.action).length === 0).map((c) => `${c.action} (${c.file})`);
    const missingAlso = calls.flatMap((c) =>
      (ALSO_NEEDED[c.action] ?? []).filter((a) => allowing(statements, a).length === 0).map((a) => `${a} (for ${c.action})`),
    );

    // Assert
    expect([...new Set(missing)]).toEqual([]);
    expect([...new Set(missingAlso)]).toEqual([]);
  });

  it('When CloudFormation creates the bundled rotation template under the operator role, then the role allows what each resource type needs', () => {
    // Arrange
    const statements = statementsOf(decodeTemplate(MEMBER_ROLE_TEMPLATES.operator));
    const types = [...new Set(Object.values(decodeTemplate(ROTATION_TEMPLATE_PATH).Resources).map((r) => r.Type))].sort();

    // Act
    const unknown = types.filter((t) => !CLOUDFORMATION_CREATES[t]);
    const missing = types.flatMap((t) => (CLOUDFORMATION_CREATES[t] ?? []).filter((a) => allowing(statements, a).length === 0).map((a) => `${a} (${t})`));

    // Assert
    expect(unknown).toEqual([]);
    expect(missing).toEqual([]);
  });

  it('When CloudFormation updates the bundled rotation template’s stack under the operator role, then the role allows what each resource type needs', () => {
    // Arrange
    const statements = statementsOf(decodeTemplate(MEMBER_ROLE_TEMPLATES.operator));
    const types = [...new Set(Object.values(decodeTemplate(ROTATION_TEMPLATE_PATH).Resources).map((r) => r.Type))].sort();

    // Act
    const unknown = types.filter((t) => !CLOUDFORMATION_UPDATES[t]);
    const missing = types.flatMap((t) => (CLOUDFORMATION_UPDATES[t] ?? []).filter((a) => allowing(statements, a).length === 0).map((a) => `${a} (${t})`));

    // Assert
    expect(unknown).toEqual([]);
    expect(missing).toEqual([]);
  });

  it('When the operator role passes a role, then only to Lambda and only roles named after the rotation stacks', () => {
    // Arrange
    const statements = statementsOf(decodeTemplate(MEMBER_ROLE_TEMPLATES.operator));

    // Act
    const passing = allowing(statements, 'iam:PassRole');

    // Assert
    expect(passing).toHaveLength(1);
    expect(passing[0]!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } });
    for (const resource of list(passing[0]!.Resource) as { 'Fn::Sub': string }[]) {
      expect(resource['Fn::Sub']).toMatch(/^arn:\$\{AWS::Partition\}:iam::\$\{AWS::AccountId\}:role\/(SecretsManagerRotation-|serverlessrepo-Secrets)\*$/);
    }
  });

  it.each(['reader', 'operator'] as const)('When the %s template allows an action on every resource, then it is a List or Describe call', (variant) => {
    // Arrange
    const statements = statementsOf(decodeTemplate(MEMBER_ROLE_TEMPLATES[variant]));

    // Act
    const onEverything = statements.filter((s) => s.Effect === 'Allow' && list(s.Resource).includes('*')).flatMap((s) => list(s.Action));

    // Assert: AWS takes no resource for these; everything else is scoped to the account's own resources
    expect(onEverything.length).toBeGreaterThan(0);
    expect(onEverything.filter((a) => !/^[a-z0-9-]+:(List|Describe)[A-Za-z]+$/.test(a))).toEqual([]);
  });

  it('When the read routes are scanned for AWS calls, then the reader allows each of them and nothing else', () => {
    // Arrange
    const statements = statementsOf(decodeTemplate(MEMBER_ROLE_TEMPLATES.reader));
    const reads = memberAccountActions(READ_ROUTE_FILES);
    expect(reads).toContain('secretsmanager:ListSecrets');

    // Act
    const missing = reads.filter((a) => allowing(statements, a).length === 0);
    const extra = allowedActions(statements).filter((pattern) => !reads.some((a) => actionMatches(pattern, a)));

    // Assert
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
  });

  it('When the reader template is read, then it allows no action that changes anything, and never a secret value', () => {
    // Arrange
    const statements = statementsOf(decodeTemplate(MEMBER_ROLE_TEMPLATES.reader));

    // Act
    const actions = allowedActions(statements);

    // Assert: written out (a wildcard could take in a change AWS adds later), and none changes anything
    expect(statements.every((s) => s.Effect === 'Allow' && s.NotAction === undefined && s.NotResource === undefined)).toBe(true);
    expect(actions.filter((a) => a.includes('*') || a.includes('?'))).toEqual([]);
    expect(actions.filter((a) => CHANGING_VERB.test(a.split(':')[1] ?? ''))).toEqual([]);
    expect(actions.filter((a) => /:GetSecretValue$/i.test(a))).toEqual([]);
  });
});

// --- Deployed on moto, in a member account -------------------------------------------------------

const CONSOLE_ACCOUNT = '123456789012'; // moto's default account: the console's own
const MEMBER_ACCOUNT = '111122223333';
const CONSOLE_ROLE_ARN = `arn:aws:iam::${CONSOLE_ACCOUNT}:role/rotation-console`;
/** IAM's quota on the inline policies of one role: 10,240 characters, whitespace not counted. */
const INLINE_POLICY_QUOTA = 10_240;

const region = 'us-east-1';
const memberCloudFormation = () => inMotoAccount(new CloudFormationClient({ region, endpoint: motoEndpoint() }), MEMBER_ACCOUNT);
const consoleSts = () => new STSClient({ region, endpoint: motoEndpoint() });

/**
 * A policy document as moto's IAM returns it: URL-encoded JSON, or for roles CloudFormation made,
 * the Python repr of the document (single quotes, True/False/None).
 */
const parseDocument = (raw: string | undefined): { Statement: Statement[] } => {
  const text = decodeURIComponent(raw ?? '{}');
  try {
    return JSON.parse(text) as { Statement: Statement[] };
  } catch {
    return JSON.parse(text.replaceAll("'", '"').replaceAll('None', 'null').replaceAll('True', 'true').replaceAll('False', 'false')) as {
      Statement: Statement[];
    };
  }
};

const deploy = async (variant: Variant, stackName: string, parameters: Record<string, string>): Promise<Stack> => {
  const cfn = memberCloudFormation();
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: readFileSync(MEMBER_ROLE_TEMPLATES[variant], 'utf8'),
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      // The role has a fixed name (RoleName), as the StackSet commands in docs/fleet.md acknowledge.
      Capabilities: ['CAPABILITY_NAMED_IAM'],
    }),
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    if (stack && !String(stack.StackStatus).endsWith('_IN_PROGRESS')) return stack;
    if (Date.now() > deadline) throw new Error(`stack ${stackName} still ${stack?.StackStatus}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe.each([
  { variant: 'reader' as const, roleName: 'RotationConsoleReader', externalId: undefined },
  { variant: 'operator' as const, roleName: 'RotationConsoleOperator', externalId: 'fleet-7d2c' },
])('the $variant template deployed in a member account', ({ variant, roleName, externalId }) => {
  const template = decodeTemplate(MEMBER_ROLE_TEMPLATES[variant]);
  let stack: Stack;
  let roleArn: string;
  let memberIam: IAMClient;
  let callerArn: string | undefined;
  let callerAccount: string | undefined;

  beforeAll(async () => {
    stack = await deploy(variant, `rotation-console-${variant}`, { ConsoleRoleArn: CONSOLE_ROLE_ARN, ...(externalId ? { ExternalId: externalId } : {}) });
    roleArn = String(stack.Outputs?.find((o) => o.OutputKey === 'RoleArn')?.OutputValue);
    // As the console does: AssumeRole from its own account, then every call with those credentials.
    const assumed = await consoleSts().send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'rotation-console', ...(externalId ? { ExternalId: externalId } : {}) }),
    );
    const c = assumed.Credentials!;
    const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    memberIam = new IAMClient({ region, endpoint: motoEndpoint(), credentials });
    const identity = await new STSClient({ region, endpoint: motoEndpoint(), credentials }).send(new GetCallerIdentityCommand({}));
    callerArn = identity.Arn;
    callerAccount = identity.Account;
  });

  it('When the stack is created with ConsoleRoleArn, then it completes and outputs the role in the member account', () => {
    // Assert
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(roleArn).toBe(`arn:aws:iam::${MEMBER_ACCOUNT}:role/${roleName}`);
  });

  it('When the console assumes the output role, then the credentials act as that role in the member account', () => {
    // Assert
    expect(callerAccount).toBe(MEMBER_ACCOUNT);
    expect(callerArn).toBe(`arn:aws:sts::${MEMBER_ACCOUNT}:assumed-role/${roleName}/rotation-console`);
  });

  it('When the role is read back through IAM, then it trusts exactly the console role and holds the template statements for this account', async () => {
    // Act
    const role = (await memberIam.send(new GetRoleCommand({ RoleName: roleName }))).Role!;
    const names = (await memberIam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
    const stored = await Promise.all(
      names.map(async (PolicyName) => ({
        PolicyName,
        document: parseDocument((await memberIam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName }))).PolicyDocument),
      })),
    );

    // Assert: the trust policy
    const trust = parseDocument(role.AssumeRolePolicyDocument).Statement.filter(Boolean);
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ Effect: 'Allow', Principal: { AWS: CONSOLE_ROLE_ARN }, Action: 'sts:AssumeRole' });
    if (externalId) expect(trust[0]!.Condition).toEqual({ StringEquals: { 'sts:ExternalId': externalId } });
    else expect(trust[0]!.Condition ?? null).toBeNull();

    // Assert: the inline policies, statement by statement, resolved for the member account
    const declared: InlinePolicy[] = inlinePolicies(template);
    expect(names.sort()).toEqual(declared.map((p) => p.PolicyName).sort());
    for (const policy of declared) {
      const found = stored.find((s) => s.PolicyName === policy.PolicyName)!.document.Statement;
      expect(found.map((s) => [s.Sid, s.Effect, list(s.Action)])).toEqual(policy.PolicyDocument.Statement.map((s) => [s.Sid, s.Effect, list(s.Action)]));
      const resources = found.flatMap((s) => [...list(s.Resource as string | string[]), ...list(s.NotResource as string | string[])]);
      expect(resources.filter((r) => r.includes('${'))).toEqual([]);
      expect(resources.filter((r) => r !== '*' && /:\d{12}:/.test(r) && !r.includes(`:${MEMBER_ACCOUNT}:`) && !r.includes(':297356227824:'))).toEqual([]);
    }

    // Assert: within IAM's quota for a role's inline policies (moto does not enforce it)
    const size = stored.reduce((sum, s) => sum + JSON.stringify(s.document).replace(/\s/g, '').length, 0);
    expect(size).toBeLessThanOrEqual(INLINE_POLICY_QUOTA);
  });
});
