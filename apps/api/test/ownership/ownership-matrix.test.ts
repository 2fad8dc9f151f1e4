import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { StepKind, type ResourceKind } from '@rotation-console/contracts';
import { startAwsProxy } from '@rotation-console/harness/aws-proxy.ts';

import { afterAll, describe, expect, it } from 'vitest';
import { OPERATION_STEP_KINDS } from '@rotation-console/rotation';
import { EVENTS_SETUP_STEPS } from '../../src/modules/events/events-setup.ts';
import { storedZip } from '../support/rotation-fixtures.ts';
import { aws, motoEndpoint, reset } from '../support/support.ts';
import { startTeamsConsole, type Who } from '../support/teams-support.ts';

/**
 * The ownership matrix (issue 10, Proof): every kind of AWS resource a workflow step changes or
 * uses, in four variants (payments' own, another team's, untagged and shared by teams, listed for
 * two teams in the teams file), for an operator of payments, an operator of identity and an admin,
 * each acting on a secret of its own team. Every AWS call goes through the harness's proxy: a
 * refused cell must answer 403 (409 for a taken create name) for the plan AND the workflow, with
 * no AWS call that changes anything. A step kind without a row below fails the test.
 */

/** What each step kind writes: a resource kind the matrix covers, the secret itself (the policy on secrets decides), or nothing. */
const STEP_WRITES: Record<string, ResourceKind | 'secret' | 'nothing' | 'console'> = {
  'upload-function-code': 'bucket',
  'create-function-change-set': 'stack',
  'execute-change-set': 'stack',
  'read-function-arn': 'nothing',
  'add-invoke-permission': 'function',
  'configure-function-vpc': 'function',
  'create-secrets-manager-endpoint': 'vpc-endpoint',
  'grant-master-secret-access': 'role',
  'rotate-secret': 'secret',
  'watch-first-rotation': 'nothing',
  [OPERATION_STEP_KINDS.rotateNow]: 'secret',
  [OPERATION_STEP_KINDS.cancelRotation]: 'secret',
  [OPERATION_STEP_KINDS.moveCurrentToPrevious]: 'secret',
  [OPERATION_STEP_KINDS.removePendingLabel]: 'secret',
  // Turning rotation off takes back only the statement the console added for this secret's own master, and only when no other secret needs it.
  'revoke-master-secret-access': 'role',
  // The events setup's queues, rule and target are the console's own account's, no team's: admins
  // only (events:setup), so the ownership policy has no rows for them.
  ...Object.fromEntries(Object.values(EVENTS_SETUP_STEPS).map((kind) => [kind, 'console' as const])),
};

type Variant = 'own' | 'other-team' | 'untagged-shared' | 'two-teams';
type Caller = Extract<Who, 'owner' | 'other-team' | 'admin'>;
const CALLERS: Caller[] = ['owner', 'other-team', 'admin'];
const VARIANTS: Variant[] = ['own', 'other-team', 'untagged-shared', 'two-teams'];

const ENGINE = { engine: 'postgres', host: 'db.internal', dbname: 'app', port: 5432 };
const zip = storedZip('index.mjs', 'export const handler = async () => ({});\n');
const tagsFor = (variant: Variant, key = 'team') =>
  variant === 'own' ? [{ Key: key, Value: 'payments' }] : variant === 'other-team' ? [{ Key: key, Value: 'identity' }] : [];

await reset();
const a = aws();
const run = randomUUID().slice(0, 6);

// Secrets: each caller plans for a secret of its own team; a master secret for the role rows.
const secretOf = async (name: string, team: string, extra: Record<string, unknown> = {}) =>
  (
    await a.secretsManager.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: JSON.stringify({ ...ENGINE, username: 'app', password: 'not-a-real-password-1', ...extra }),
        Tags: [{ Key: 'team', Value: team }],
      }),
    )
  ).ARN!;
const master = {
  payments: await secretOf(`om/${run}/payments/master`, 'payments', { username: 'admin' }),
  identity: await secretOf(`om/${run}/identity/master`, 'identity', { username: 'admin' }),
};
const SECRET: Record<Caller, { single: string; multi: string; team: 'payments' | 'identity' }> = {
  owner: {
    single: await secretOf(`om/${run}/payments/app`, 'payments'),
    multi: await secretOf(`om/${run}/payments/multi`, 'payments', { masterarn: master.payments }),
    team: 'payments',
  },
  admin: {
    single: await secretOf(`om/${run}/payments/admin-app`, 'payments'),
    multi: await secretOf(`om/${run}/payments/admin-multi`, 'payments', { masterarn: master.payments }),
    team: 'payments',
  },
  'other-team': {
    single: await secretOf(`om/${run}/identity/app`, 'identity'),
    multi: await secretOf(`om/${run}/identity/multi`, 'identity', { masterarn: master.identity }),
    team: 'identity',
  },
};

// Functions and their roles.
const roleOf = async (name: string, tags: { Key: string; Value: string }[]) =>
  (
    await a.iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
        Tags: tags,
      }),
    )
  ).Role!.Arn!;
const functionOf = async (name: string, roleArn: string, tags: { Key: string; Value: string }[]) =>
  (
    await a.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs24.x',
        Role: roleArn,
        Handler: 'index.handler',
        Code: { ZipFile: zip },
        Tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])),
      }),
    )
  ).FunctionArn!;
const plainRole = await roleOf(`om-${run}-plain`, []);
const FUNCTION: Record<Variant, string> = {
  own: await functionOf(`om-${run}-fn-own`, plainRole, tagsFor('own')),
  'other-team': await functionOf(`om-${run}-fn-other`, plainRole, tagsFor('other-team')),
  'untagged-shared': await functionOf(`om-${run}-fn-shared`, plainRole, []),
  'two-teams': await functionOf(`om-${run}-fn-two`, plainRole, []),
};
// The untagged shared function rotates a secret of payments and one of identity.
for (const team of ['payments', 'identity']) {
  const arn = await secretOf(`om/${run}/${team}/served`, team);
  await a.secretsManager.send(
    new RotateSecretCommand({
      SecretId: arn,
      RotationLambdaARN: FUNCTION['untagged-shared'],
      RotationRules: { AutomaticallyAfterDays: 30 },
      RotateImmediately: false,
    }),
  );
}
// Role rows: a function both teams may use (listed for both), on a role of each variant.
const ROLE_FUNCTION: Record<Variant, string> = {
  own: await functionOf(`om-${run}-role-own`, await roleOf(`om-${run}-role-own`, tagsFor('own')), []),
  'other-team': await functionOf(`om-${run}-role-other`, await roleOf(`om-${run}-role-other`, tagsFor('other-team')), []),
  'untagged-shared': await functionOf(`om-${run}-role-shared`, await roleOf(`om-${run}-role-shared`, []), []),
  'two-teams': await functionOf(`om-${run}-role-two`, await roleOf(`om-${run}-role-two`, []), []),
};

// Stacks that take a create name: tagged payments, tagged identity, untagged.
const TEMPLATE = JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });
const STACK_FUNCTION: Record<Variant, string> = {
  own: `om-${run}-stack-own`,
  'other-team': `om-${run}-stack-other`,
  'untagged-shared': `om-${run}-stack-shared`,
  'two-teams': `om-${run}-stack-two`,
};
for (const variant of VARIANTS) {
  await a.cloudFormation.send(
    new CreateStackCommand({ StackName: `SecretsManagerRotation-${STACK_FUNCTION[variant]}`, TemplateBody: TEMPLATE, Tags: tagsFor(variant) }),
  );
}

// Networks: one VPC per variant, each with a subnet and a group listed for both teams, so only the VPC decides its rows;
// and in the two-teams VPC, a subnet and a group of each variant.
const vpcOf = async (cidr: string, variant: Variant) => {
  const vpcId = (
    await a.ec2.send(
      new CreateVpcCommand({ CidrBlock: cidr, ...(tagsFor(variant).length ? { TagSpecifications: [{ ResourceType: 'vpc', Tags: tagsFor(variant) }] } : {}) }),
    )
  ).Vpc!.VpcId!;
  return vpcId;
};
const subnetOf = async (vpcId: string, cidr: string, variant: Variant) =>
  (
    await a.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: cidr,
        ...(tagsFor(variant).length ? { TagSpecifications: [{ ResourceType: 'subnet', Tags: tagsFor(variant) }] } : {}),
      }),
    )
  ).Subnet!.SubnetId!;
const groupOf = async (vpcId: string, name: string, variant: Variant) =>
  (
    await a.ec2.send(
      new CreateSecurityGroupCommand({
        VpcId: vpcId,
        GroupName: name,
        Description: name,
        ...(tagsFor(variant).length ? { TagSpecifications: [{ ResourceType: 'security-group', Tags: tagsFor(variant) }] } : {}),
      }),
    )
  ).GroupId!;
const VPC = {} as Record<Variant, { vpcId: string; subnetId: string; groupId: string }>;
for (const [i, variant] of VARIANTS.entries()) {
  const vpcId = await vpcOf(`10.${60 + i}.0.0/16`, variant);
  VPC[variant] = {
    vpcId,
    subnetId: await subnetOf(vpcId, `10.${60 + i}.1.0/24`, 'untagged-shared'),
    groupId: await groupOf(vpcId, `om-${run}-base-${i}`, 'untagged-shared'),
  };
}
const base = VPC['two-teams'];
const SUBNET = {} as Record<Variant, string>;
const GROUP = {} as Record<Variant, string>;
for (const [i, variant] of VARIANTS.entries()) {
  SUBNET[variant] = await subnetOf(base.vpcId, `10.${60 + VARIANTS.length - 1}.${10 + i}.0/24`, variant);
  GROUP[variant] = await groupOf(base.vpcId, `om-${run}-group-${variant}`, variant);
}

// The teams file lists the two-teams variants (and every VPC's base subnet and group) for both teams.
const listed = {
  functions: [FUNCTION['two-teams'], ...Object.values(ROLE_FUNCTION)],
  network: {
    vpcIds: [base.vpcId],
    subnetIds: [SUBNET['two-teams'], ...VARIANTS.map((v) => VPC[v].subnetId)],
    securityGroupIds: [GROUP['two-teams'], ...VARIANTS.map((v) => VPC[v].groupId)],
  },
};
const teamsFile = path.join(mkdtempSync(path.join(tmpdir(), 'rc-owners-')), 'teams.json');
writeFileSync(teamsFile, JSON.stringify({ teams: { payments: listed, identity: listed } }));

const proxy = await startAwsProxy({ target: motoEndpoint() });
const t = await startTeamsConsole({ AWS_ENDPOINT_URL: proxy.url, TEAMS_CONFIG: teamsFile });
afterAll(async () => {
  await t.close();
  await proxy.close();
});

/** A request that touches the resource under test and, for everything else, what every caller may use. */
const requestFor = (kind: ResourceKind, variant: Variant, caller: Caller) => {
  const secret = SECRET[caller];
  const common = { schedule: { kind: 'days', days: 30 }, rotateImmediately: false, acknowledgeSharedFunction: true };
  const existing = (functionArn: string) => ({ mode: 'existing', functionArn, strategy: 'single-user' });
  const net = (vpcId: string, subnetId: string, groupId: string, endpoint = false) => ({
    vpcId,
    subnetIds: [subnetId],
    securityGroupIds: [groupId],
    createSecretsManagerEndpoint: endpoint,
  });
  const baseNet = net(base.vpcId, SUBNET['two-teams'], GROUP['two-teams']);
  switch (kind) {
    case 'function':
      return { ...common, secretId: secret.single, function: existing(FUNCTION[variant]), network: null };
    case 'role':
      return {
        ...common,
        secretId: secret.multi,
        function: { mode: 'existing', functionArn: ROLE_FUNCTION[variant], strategy: 'alternating-users', masterSecretId: master[secret.team] },
        network: null,
      };
    case 'stack':
      return {
        ...common,
        secretId: secret.single,
        function: { mode: 'create', functionName: STACK_FUNCTION[variant], strategy: 'single-user' },
        network: null,
      };
    case 'vpc':
    case 'vpc-endpoint':
      return {
        ...common,
        secretId: secret.single,
        function: existing(FUNCTION['two-teams']),
        network: net(VPC[variant].vpcId, VPC[variant].subnetId, VPC[variant].groupId, kind === 'vpc-endpoint'),
      };
    case 'subnet':
      return { ...common, secretId: secret.single, function: existing(FUNCTION['two-teams']), network: { ...baseNet, subnetIds: [SUBNET[variant]] } };
    case 'security-group':
      return { ...common, secretId: secret.single, function: existing(FUNCTION['two-teams']), network: { ...baseNet, securityGroupIds: [GROUP[variant]] } };
    case 'bucket':
      return {
        ...common,
        secretId: secret.single,
        function: { mode: 'create', functionName: `om-${run}-new-${caller}`, strategy: 'single-user' },
        network: null,
      };
  }
};

/** Who may use what, per the policy: tags and the teams file decide; an admin uses anything but a create name another team holds. */
const ALLOWED: Record<Variant, Record<Caller, boolean>> = {
  own: { owner: true, 'other-team': false, admin: true },
  'other-team': { owner: false, 'other-team': true, admin: true },
  'untagged-shared': { owner: false, 'other-team': false, admin: true },
  'two-teams': { owner: true, 'other-team': true, admin: true },
};
const expectedStatus = (kind: ResourceKind, variant: Variant, caller: Caller): number => {
  if (kind === 'stack') {
    // A stack has one team tag: "two teams" is an untagged stack too. Another owner's name is taken (409), never adopted.
    const team = SECRET[caller].team;
    const stackTeam = variant === 'own' ? 'payments' : variant === 'other-team' ? 'identity' : null;
    if (stackTeam === team || (stackTeam === null && caller === 'admin')) return 200;
    return 409;
  }
  if (kind === 'role' && variant !== 'own' && variant !== 'other-team') return 200; // an untagged role follows its function, which both teams may use
  if (kind === 'bucket') return 200; // the console's own: it alone writes its artifact there
  return ALLOWED[variant][caller] ? 200 : 403;
};

const KINDS: ResourceKind[] = ['function', 'role', 'stack', 'vpc', 'subnet', 'security-group', 'vpc-endpoint', 'bucket'];
const cells = KINDS.flatMap((kind) =>
  (kind === 'bucket' ? (['own'] as Variant[]) : VARIANTS).flatMap((variant) => CALLERS.map((caller) => ({ kind, variant, caller }))),
);

describe(`The ownership matrix: ${KINDS.length} resource kinds x ${VARIANTS.length} variants x ${CALLERS.length} callers`, () => {
  it('When a step kind exists, then the matrix says what it writes, and every resource kind it writes has rows', () => {
    const registered = t.console.api.runner.stepKinds();
    expect(
      registered.filter((k) => !(k in STEP_WRITES)),
      'step kinds without a row',
    ).toEqual([]);
    expect(StepKind.options.filter((k) => !(k in STEP_WRITES))).toEqual([]);
    const written = new Set(Object.values(STEP_WRITES).filter((w): w is ResourceKind => w !== 'secret' && w !== 'nothing' && w !== 'console'));
    expect([...written].filter((k) => !KINDS.includes(k))).toEqual([]);
  });

  it.each(cells)('When $caller uses $kind ($variant), then the policy decides, and a refusal changes nothing in AWS', async ({ kind, variant, caller }) => {
    const body = requestFor(kind, variant, caller);
    const expected = expectedStatus(kind, variant, caller);
    const before = proxy.calls.length;

    const plan = await t.call(caller, '/api/v1/rotation-plans', { body });
    const planText = await plan.text();
    expect(plan.status, planText.slice(0, 400)).toBe(expected);
    if (expected !== 200) {
      const started = await t.call(caller, '/api/v1/workflows', { body, headers: { 'idempotency-key': randomUUID() } });
      expect(started.status).toBe(expected);
      const error = ((await started.json()) as { error: { message: string } }).error.message;
      // The refusal names the resource and who owns it.
      expect(error).toMatch(/belongs to (team \w+|teams? |no team)/);
      expect(
        proxy.calls.slice(before).filter((c) => c.mutating),
        'AWS calls that change something',
      ).toEqual([]);
    } else {
      const listedResource = (JSON.parse(planText) as { resources: { kind: string }[] }).resources.map((r) => r.kind);
      expect(listedResource).toContain(kind === 'vpc-endpoint' ? 'vpc' : kind);
    }
  });
});
