// Every change acts in the secret's own account and region (issue 14 item 5): the wizard's plan and
// workflow for a secret of a member account assume the console's role there, and the AWS CLI of
// that account reads back the rules, the function and its permission, with nothing in the others.
import { randomUUID } from 'node:crypto';
import { GetFunctionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { Calendar, type RotationPlan, type RotationRequestInput } from '@rotation-console/contracts';
import { inMotoAccount } from '@rotation-console/harness/aws.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForWorkflow } from '../support/rotation-fixtures.ts';
import { buildApi, motoEndpoint, reset } from '../support/support.ts';
import { accountsFile, createSecretIn, HOME_ACCOUNT, PAYMENTS_ACCOUNT, secretsIn } from './fleet-support.ts';

const OPERATOR_ROLE = `arn:aws:iam::${PAYMENTS_ACCOUNT}:role/RotationConsoleOperator`;
const lambdaIn = (account: string, region: string) =>
  inMotoAccount(new LambdaClient({ endpoint: motoEndpoint(), region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } }), account);

describe('The wizard in a member account', () => {
  let api: Awaited<ReturnType<typeof buildApi>>;
  let arn: string;

  beforeAll(async () => {
    await reset();
    arn = await createSecretIn(motoEndpoint(), PAYMENTS_ACCOUNT, 'eu-west-1', 'fleet/payments-ledger', { team: 'payments' });
    // The same name in the console's own account: a name alone would not say which.
    await createSecretIn(motoEndpoint(), HOME_ACCOUNT, 'us-east-1', 'fleet/payments-ledger', { team: 'payments' });
    api = await buildApi({
      ACCOUNTS_CONFIG: accountsFile({
        accounts: [
          { id: HOME_ACCOUNT, name: 'console', regions: ['us-east-1'] },
          { id: PAYMENTS_ACCOUNT, name: 'payments-prod', roleArn: OPERATOR_ROLE, regions: ['eu-west-1'] },
        ],
      }),
    });
    await api.dashboard.crawler.crawlOnce();
  });
  afterAll(async () => {
    await api?.close();
  });

  const body = (secretId: string): RotationRequestInput => ({
    secretId,
    schedule: { kind: 'days', days: 30 },
    rotateImmediately: false,
    function: { mode: 'create', functionName: 'ledger-rotation', strategy: 'single-user' },
    network: null,
  });

  it('When a plan is asked for by ARN, then it acts in the member account and region, and its CLI session assumes the role there and names the region', async () => {
    // Act
    const plan = (await request(api.app).post('/api/v1/rotation-plans').send(body(arn)).expect(200)).body as RotationPlan;

    // Assert
    expect(plan.secretArn).toBe(arn);
    const lines = plan.cliSession.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `aws configure set role_arn ${OPERATOR_ROLE} --profile rotation-console-${PAYMENTS_ACCOUNT}`,
      `aws configure set source_profile default --profile rotation-console-${PAYMENTS_ACCOUNT}`,
      `export AWS_PROFILE=rotation-console-${PAYMENTS_ACCOUNT}`,
    ]);
    expect(plan.cliSession).toContain(`--source-account ${PAYMENTS_ACCOUNT} --region eu-west-1`);
    expect(plan.cliSession).toContain(`arn:aws:lambda:eu-west-1:${PAYMENTS_ACCOUNT}:function:ledger-rotation`);
  });

  it('When a name is in two accounts, then the plan is refused with both named, and an ARN of an account the console does not cover is refused naming it', async () => {
    // Act
    const ambiguous = await request(api.app).post('/api/v1/rotation-plans').send(body('fleet/payments-ledger')).expect(400);
    const uncovered = await request(api.app)
      .post('/api/v1/rotation-plans')
      .send(body('arn:aws:secretsmanager:ap-south-1:333333333333:secret:fleet/other-AbCdEf'))
      .expect(400);

    // Assert
    expect(ambiguous.body.error.message).toBe(
      `Secret "fleet/payments-ledger" exists in 2 account-regions (payments-prod (${PAYMENTS_ACCOUNT}) eu-west-1, console (${HOME_ACCOUNT}) us-east-1): give its ARN to say which.`,
    );
    expect(uncovered.body.error.message).toContain('account 333333333333, region ap-south-1, which the console does not cover');
  });

  it('When the workflow runs, then the rules, the function and its permission are in the member account and region, and nothing is in the console account', async () => {
    // Act
    const started = await request(api.app).post('/api/v1/workflows').set('Idempotency-Key', randomUUID()).send(body(arn)).expect(202);
    const workflow = await waitForWorkflow(api.app, started.body.id);

    // Assert
    expect(workflow.status, JSON.stringify(workflow.steps.filter((s) => s.error))).toBe('succeeded');
    const secret = await secretsIn(motoEndpoint(), PAYMENTS_ACCOUNT, 'eu-west-1').send(new DescribeSecretCommand({ SecretId: arn }));
    expect(secret.RotationEnabled).toBe(true);
    expect(secret.RotationRules?.AutomaticallyAfterDays).toBe(30);
    expect(secret.RotationLambdaARN).toBe(`arn:aws:lambda:eu-west-1:${PAYMENTS_ACCOUNT}:function:ledger-rotation`);
    const policy = await lambdaIn(PAYMENTS_ACCOUNT, 'eu-west-1').send(new GetPolicyCommand({ FunctionName: 'ledger-rotation' }));
    expect(policy.Policy).toContain('secretsmanager.amazonaws.com');
    await expect(lambdaIn(HOME_ACCOUNT, 'us-east-1').send(new GetFunctionCommand({ FunctionName: 'ledger-rotation' }))).rejects.toThrow(/not found/i);
    await expect(lambdaIn(PAYMENTS_ACCOUNT, 'us-east-1').send(new GetFunctionCommand({ FunctionName: 'ledger-rotation' }))).rejects.toThrow(/not found/i);
    const homeTwin = await secretsIn(motoEndpoint(), HOME_ACCOUNT, 'us-east-1').send(new DescribeSecretCommand({ SecretId: 'fleet/payments-ledger' }));
    expect(homeTwin.RotationEnabled ?? false).toBe(false);
    // The calendar, filtered to the member account and region, has the secret's next window; the console's account none.
    await api.dashboard.crawler.settled();
    const inMember = Calendar.parse(
      (await request(api.app).get('/api/v1/dashboard/calendar').query({ account: PAYMENTS_ACCOUNT, region: 'eu-west-1' }).expect(200)).body,
    );
    const inHome = Calendar.parse((await request(api.app).get('/api/v1/dashboard/calendar').query({ account: HOME_ACCOUNT }).expect(200)).body);
    expect(inMember.windows.length).toBeGreaterThan(0);
    expect(inMember.windows.every((w) => w.arn === arn && w.accountId === PAYMENTS_ACCOUNT && w.region === 'eu-west-1')).toBe(true);
    expect(inHome.windows).toEqual([]);
  });
});
