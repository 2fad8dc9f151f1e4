import { randomBytes } from 'node:crypto';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { expect, NEEDS_HARNESS_EMULATOR, test } from '../fixtures.ts';
import type { HarnessClients } from '@rotation-console/harness/aws.ts';
import { createPostgresLogin, dropPostgresLogins } from '@rotation-console/harness/postgres-logins.ts';
import { DEMO_FUNCTIONS, DEMO_VPC_NAME } from '@rotation-console/harness/seed.ts';
import { TeamPortal } from '../pages/team-portal.ts';

// Every branch of the wizard against the local default, each checked in AWS itself.
// The secrets name real logins on the local PostgreSQL, so the first rotation really runs.
test.describe.configure({ mode: 'serial' });
test.skip(({ harnessEmulator }) => !harnessEmulator, NEEDS_HARNESS_EMULATOR);

const run = randomBytes(3).toString('hex');
const logins: string[] = [];
const names = {
  single: `e2e/${run}/orders`,
  master: `e2e/${run}/ledger-master`,
  multi: `e2e/${run}/ledger-app`,
  existingSingle: `e2e/${run}/reports`,
  existingMulti: `e2e/${run}/billing-app`,
  failing: `e2e/${run}/legacy`,
  unresolvable: `e2e/${run}/reports-db`,
  noPassword: `e2e/${run}/no-password`,
};
const fn = { single: `e2e-${run}-single`, multi: `e2e-${run}-multi` };
/** A private VPC of this run's own, without a Secrets Manager endpoint (the demo VPC has one): the wizard offers to create it. */
const isolated = { vpc: `e2e-${run}-private`, subnets: [`e2e-${run}-private-a`, `e2e-${run}-private-b`], group: `e2e-${run}-rotation` };

/** The isolated VPC: two subnets with no route out, and the functions' group, which admits itself on 443 (the endpoint the wizard creates wears it). */
const createIsolatedVpc = async (aws: HarnessClients) => {
  const region = await aws.ec2.config.region();
  const vpcId = (
    await aws.ec2.send(
      new CreateVpcCommand({ CidrBlock: '10.30.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: isolated.vpc }] }] }),
    )
  ).Vpc!.VpcId!;
  for (const [i, name] of isolated.subnets.entries()) {
    await aws.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.30.${i + 1}.0/24`,
        AvailabilityZone: `${region}${'ab'[i]}`,
        TagSpecifications: [{ ResourceType: 'subnet', Tags: [{ Key: 'Name', Value: name }] }],
      }),
    );
  }
  const groupId = (await aws.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: isolated.group, Description: 'e2e rotation functions' })))
    .GroupId!;
  await aws.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: groupId }] }],
    }),
  );
};

const createSecret = async (aws: HarnessClients, name: string, extra: Record<string, unknown> = {}, { master = false } = {}) => {
  const login = await createPostgresLogin({ master });
  logins.push(login.username);
  const out = await aws.secretsManager.send(
    new CreateSecretCommand({ Name: name, SecretString: login.secretString(extra), Tags: [{ Key: 'team', Value: 'payments' }] }),
  );
  return out.ARN!;
};

const policyOf = async (aws: HarnessClients, functionArn: string) =>
  JSON.stringify(JSON.parse((await aws.lambda.send(new GetPolicyCommand({ FunctionName: functionArn }))).Policy!).Statement);

test.beforeAll(async ({ aws }) => {
  await createIsolatedVpc(aws);
  // A real master: alternating-users rotation creates and changes the clone login with it.
  const masterArn = await createSecret(aws, names.master, {}, { master: true });
  await createSecret(aws, names.single);
  await createSecret(aws, names.multi, { masterarn: masterArn });
  await createSecret(aws, names.existingSingle);
  await createSecret(aws, names.existingMulti, { masterarn: masterArn });
  await createSecret(aws, names.failing);
  // As the demo's prod/payments/reports-db: a host that does not resolve.
  await createSecret(aws, names.unresolvable, { host: 'reports-db.demo.internal' });
  // No login behind it: its check fails before anything could run.
  await aws.secretsManager.send(
    new CreateSecretCommand({
      Name: names.noPassword,
      SecretString: JSON.stringify({ engine: 'postgres', host: '127.0.0.1', port: 5432, username: `e2e_${run}_nopass` }),
      Tags: [{ Key: 'team', Value: 'payments' }],
    }),
  );
});
test.afterAll(async () => dropPostgresLogins(logins));

test('When an operator creates a single-user function with a custom interval in the VPC, then AWS holds the function, its permission, the endpoint and the rotation', async ({
  wizard,
  page,
  aws,
}) => {
  await wizard.open(names.single);
  // As on the console's page: a secret without rotation opens with automatic rotation off.
  await expect(wizard.enableToggle()).not.toBeChecked();
  await wizard.interval('Custom', 45);
  await expect(wizard.windows()).toHaveCount(5);
  await wizard.next();

  await wizard.newFunction(fn.single, 'Use this secret');
  await wizard.vpc(new RegExp(isolated.vpc));
  await wizard.subnets(isolated.subnets);
  await wizard.securityGroups([isolated.group]);
  await expect(wizard.endpointCheckbox()).toBeChecked();
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();
  await wizard.expectPlan();
  const session = page.getByLabel('AWS CLI session');
  await expect(session).toContainText(`aws ec2 create-vpc-endpoint`);
  // The session runs in the plan's order: the endpoint needs nothing first, so it comes in the first stage, before the change set.
  const commands = (await session.textContent()) ?? '';
  expect(commands.indexOf('aws ec2 create-vpc-endpoint')).toBeLessThan(commands.indexOf('create-change-set'));
  // The seed's warning, said once, beside its acknowledgement.
  await expect(page.getByText(/rotate once immediately/)).toHaveCount(1);
  await wizard.acknowledgeAndSave();
  await wizard.expectOutcome(/Rotation succeeded/);

  const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: names.single }));
  expect(secret.RotationLambdaARN).toMatch(new RegExp(`:function:${fn.single}$`));
  expect(secret.RotationRules?.AutomaticallyAfterDays).toBe(45);
  expect(await policyOf(aws, secret.RotationLambdaARN!)).toContain('secretsmanager.amazonaws.com');
  const config = await aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: secret.RotationLambdaARN! }));
  expect(config.VpcConfig?.SubnetIds).toHaveLength(2);
  const vpcId = (await aws.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: [isolated.vpc] }] }))).Vpcs![0]!.VpcId!;
  const endpoints = await aws.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  expect(endpoints.VpcEndpoints?.filter((e) => e.ServiceName?.endsWith('.secretsmanager'))).toHaveLength(1);
});

test('When an operator creates a function with a master secret on a schedule expression and window, then the role may read the master secret', async ({
  wizard,
  page,
  aws,
}) => {
  await wizard.open(names.multi);
  await wizard.scheduleExpression('cron(0 4 ? * SUN *)', '3h');
  await expect(wizard.windows()).toHaveCount(5);
  await wizard.next();

  await wizard.newFunction(fn.multi, 'Use a secret that I have previously stored in AWS Secrets Manager');
  // Only secrets for the same database are offered, each with its engine and host: not the demo's MySQL ledger master.
  const options = await wizard.masterSecretOptions();
  const offered = options.filter({ hasText: names.master });
  await expect(offered).toContainText('Engine: postgres');
  await expect(offered).toContainText('Host: 127.0.0.1:5432');
  await expect(options.filter({ hasText: 'prod/payments/ledger-master' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await wizard.masterSecret(names.master);
  await wizard.vpc('No VPC (the function runs outside a VPC)');
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();
  await wizard.acknowledgeAndSave();
  await wizard.expectOutcome(/Rotation succeeded/);

  const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: names.multi }));
  expect(secret.RotationRules).toMatchObject({ ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '3h' });
  const role = (await aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: secret.RotationLambdaARN! }))).Role!.split('/').pop()!;
  const masterArn = (await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: names.master }))).ARN!;
  const inline = await aws.iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: 'SecretsManagerMasterSecretAccess' }));
  expect(decodeURIComponent(inline.PolicyDocument!)).toContain(masterArn);
});

test('When an operator reuses an existing single-user function in the demo VPC, which has its endpoint, then no second endpoint is offered or made', async ({
  wizard,
  aws,
}) => {
  await wizard.open(names.existingSingle);
  await wizard.interval('60 days');
  await wizard.next();
  await wizard.existingFunction(fn.single, 'Single-user rotation');
  await wizard.vpc(new RegExp(DEMO_VPC_NAME));
  await wizard.subnets([`${DEMO_VPC_NAME}-private-a`]);
  await wizard.securityGroups([`${DEMO_VPC_NAME}-rotation-lambda`]);
  await expect(wizard.endpointCheckbox()).toHaveCount(0);
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();
  await wizard.acknowledgeAndSave();
  await wizard.expectOutcome(/Rotation succeeded/);

  const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: names.existingSingle }));
  expect(secret.RotationLambdaARN).toMatch(new RegExp(`:function:${fn.single}$`));
  expect(secret.RotationRules?.AutomaticallyAfterDays).toBe(60);
  const vpcId = (await aws.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: [DEMO_VPC_NAME] }] }))).Vpcs![0]!.VpcId!;
  const endpoints = await aws.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  expect(endpoints.VpcEndpoints?.filter((e) => e.ServiceName?.endsWith('.secretsmanager'))).toHaveLength(1);
});

test('When an operator reuses an existing multi-user function with the master secret, then the secret rotates with it', async ({ wizard, aws }) => {
  await wizard.open(names.existingMulti);
  await wizard.interval('90 days');
  await wizard.next();
  await wizard.existingFunction(fn.multi, 'Multi-user rotation');
  await wizard.masterSecret(names.master);
  await wizard.vpc('No VPC (the function runs outside a VPC)');
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();
  await wizard.acknowledgeAndSave();
  await wizard.expectOutcome(/Rotation succeeded/);

  const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: names.existingMulti }));
  expect(secret.RotationLambdaARN).toMatch(new RegExp(`:function:${fn.multi}$`));
  expect(secret.RotationRules?.AutomaticallyAfterDays).toBe(90);
});

test('When the chosen function cannot rotate the secret, then the outcome names the failed step, the log lines and the fix', async ({ wizard, page, aws }) => {
  await wizard.open(names.failing);
  await wizard.interval('30 days');
  await wizard.next();
  await wizard.existingFunction(DEMO_FUNCTIONS[0], 'Single-user rotation');
  await wizard.vpc('No VPC (the function runs outside a VPC)');
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();
  await wizard.acknowledgeAndSave();
  // The demo placeholder fails at the first step; Secrets Manager invokes no later one.
  await wizard.expectOutcome(/Rotation failed at createSecret/);
  await expect(page.getByRole('region', { name: 'Log of this rotation' })).toContainText('demo placeholder function');
  await expect(page.getByText('Suggested fix')).toBeVisible();

  const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: names.failing }));
  const stages = Object.values(secret.VersionIdsToStages ?? {});
  expect(stages.some((s) => s?.includes('AWSPENDING') && !s.includes('AWSCURRENT'))).toBe(true);
});

test('When a new function cannot reach the database host, then the outcome is "Rotation failed at setSecret", never a success, and AWSCURRENT does not move', async ({
  wizard,
  page,
  aws,
}) => {
  const before = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: names.unresolvable }));
  const current = Object.entries(before.VersionIdsToStages ?? {}).find(([, s]) => s?.includes('AWSCURRENT'))![0];
  await wizard.open(names.unresolvable);
  await wizard.interval('30 days');
  await wizard.next();
  await wizard.newFunction(`e2e-${run}-unreachable`, 'Use this secret');
  await wizard.vpc('No VPC (the function runs outside a VPC)');
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();
  await wizard.acknowledgeAndSave();

  await wizard.expectOutcome(/Rotation failed at setSecret/);
  await expect(page.getByText(/ENOTFOUND reports-db\.demo\.internal/).first()).toBeVisible();
  const log = page.getByRole('region', { name: 'Log of this rotation' });
  await expect(log.getByText('createSecret succeeded')).toBeVisible();
  await expect(log.getByText(/^setSecret failed/)).toBeVisible();
  await expect(page.getByText('Rotation succeeded')).toHaveCount(0);

  const after = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: names.unresolvable }));
  expect(after.VersionIdsToStages?.[current]).toContain('AWSCURRENT');
  expect(Object.values(after.VersionIdsToStages ?? {}).some((s) => s?.includes('AWSPENDING') && !s.includes('AWSCURRENT'))).toBe(true);

  // The same verdict wherever the secret shows: its page, the dashboard and its team's portal.
  await page.goto(`/secrets/${encodeURIComponent(names.unresolvable)}`);
  await expect(page.getByText('Rotation failed at setSecret').first()).toBeVisible();
  // The console re-indexes the secret when the workflow ends; the dashboard and the portal read that index.
  await expect
    .poll(
      async () =>
        (
          (await (await page.request.get(`/api/v1/dashboard/secrets?name=${encodeURIComponent(names.unresolvable)}`)).json()) as {
            items: { failedStep: string | null }[];
          }
        ).items[0]?.failedStep,
    )
    .toBe('setSecret');
  await page.goto(`/dashboard?name=${encodeURIComponent(names.unresolvable)}`);
  await expect(page.getByRole('table', { name: 'Secrets' }).getByRole('row', { name: new RegExp(names.unresolvable) })).toContainText(
    'Rotation failed at setSecret',
  );
  const portal = new TeamPortal(page);
  await portal.open('payments');
  await expect(portal.needsAttention().getByRole('row', { name: new RegExp(names.unresolvable) })).toContainText('The last rotation failed at setSecret');
});

test('When the secret has no password, then the check names the field and gives the put-secret-value command with placeholders, and Next stays on the step', async ({
  wizard,
  page,
}) => {
  await wizard.open(names.noPassword);
  await wizard.interval('30 days');
  await wizard.next();
  await wizard.newFunction(`e2e-${run}-nopass`, 'Use this secret');
  await wizard.vpc('No VPC (the function runs outside a VPC)');
  await wizard.next();

  await expect(page.getByRole('heading', { name: 'Check secret', level: 1 })).toBeVisible();
  await expect(page.getByText('Fix the secret before you continue')).toBeVisible();
  const fix = wizard.fixFor(names.noPassword);
  await expect(fix.fields).toContainText('password (missing)');
  await expect(fix.command).toHaveText(
    `aws secretsmanager put-secret-value --secret-id ${names.noPassword} --secret-string '{"engine":"<engine>","host":"<host>","username":"<username>","password":"<password>","dbname":"<dbname>","port":"<port>"}'`,
  );
  await wizard.next();
  await expect(page.getByText('The secret check did not pass. Fix the secret, then choose Check again.', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Check secret', level: 1 })).toBeVisible();
});
