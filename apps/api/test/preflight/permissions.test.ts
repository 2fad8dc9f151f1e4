import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { AddPermissionCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { PreflightCheck } from '@rotation-console/contracts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { plannedRotationRoleStatements, type PreflightSubject } from '@rotation-console/rotation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientFactory } from '../../src/platform/aws.ts';
import { createPermissionsCheck, NO_SIMULATOR_METHOD, PLAN_METHOD, SIMULATOR_METHOD } from '../../src/modules/preflight/permissions.check.ts';
import { storedZip } from '../support/rotation-fixtures.ts';
import { runFix } from '../support/run-fix.ts';
import { aws, motoEndpoint, reset } from '../support/support.ts';

// The permissions preflight against moto: each broken case is built in moto, checked, fixed by
// running the check's own fix (the AWS CLI against moto), and checked again. moto 5.2.1 has no
// policy simulator (SimulatePrincipalPolicy answers HTTP 500), so the role's statements are read
// and evaluated by the console; the simulator's path runs behind a proxy that answers it in moto's
// place (the one part no local emulator provides).

const region = 'us-east-1';
const accountId = '123456789012';
const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const factory = (endpoint: string) => createAwsClientFactory({ region, endpoint, timeoutMs: 30_000, maxAttempts: 2 });
const kms = () => new KMSClient({ region, endpoint: motoEndpoint() });

/** The statements the console's template gives a function's role (packages/rotation-functions/template), filled in. */
const consoleStatements = (functionName: string, extra: object[] = []) => [
  {
    Effect: 'Allow',
    Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
    Resource: `arn:aws:secretsmanager:${region}:${accountId}:secret:*`,
    Condition: { StringEquals: { 'secretsmanager:resource/AllowRotationLambdaArn': `arn:aws:lambda:${region}:${accountId}:function:${functionName}` } },
  },
  { Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
  ...extra,
];

const createRole = async (name: string, statements: object[]) => {
  const role = await aws().iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
  await aws().iam.send(
    new PutRolePolicyCommand({
      RoleName: name,
      PolicyName: 'SecretsManagerRotation',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
  return role.Role!.Arn!;
};

const createFunction = async (name: string, roleArn: string, { invoke = true }: { invoke?: boolean } = {}) => {
  const fn = await aws().lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs24.x',
      Role: roleArn,
      Handler: 'index.handler',
      Code: { ZipFile: storedZip('index.mjs', 'export const handler = async () => {};') },
    }),
  );
  if (invoke) {
    await aws().lambda.send(
      new AddPermissionCommand({
        FunctionName: name,
        StatementId: 'SecretsManagerAccess',
        Action: 'lambda:InvokeFunction',
        Principal: 'secretsmanager.amazonaws.com',
        SourceAccount: accountId,
      }),
    );
  }
  return fn.FunctionArn!;
};

const createSecret = async (name: string, kmsKeyId?: string) =>
  (await aws().secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: '{"engine":"postgres"}', ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}) })))
    .ARN!;

const createKey = async (statements: object[]) =>
  (await kms().send(new CreateKeyCommand({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }))).KeyMetadata!.Arn!;

interface Fixture {
  secretArn: string;
  name: string;
  fn: { arn: string | null; name: string; roleArn: string | null };
  kmsKeyId?: string | null;
  master?: { arn: string; kmsKeyId: string | null };
  plannedRolePolicy?: { Statement: unknown[] } | null;
}

/** The subject as the service would read it, written out by hand. */
const subjectOf = (f: Fixture): PreflightSubject => ({
  saveAdds: null,
  secret: { arn: f.secretArn, name: f.name, accountId, region, kmsKeyId: f.kmsKeyId ?? null },
  strategy: f.master ? 'alternating-users' : 'single-user',
  database: { engine: 'postgres', host: 'db.internal', port: 5432, masterSecretArn: f.master?.arn ?? null, masterKmsKeyId: f.master?.kmsKeyId ?? null },
  fn: {
    ...f.fn,
    runtime: 'nodejs24.x',
    timeoutSeconds: 30,
    secretsManagerEndpoint: null,
    vpc: null,
    consoles: false,
    codeSha256: null,
    plannedRolePolicy: f.plannedRolePolicy ?? null,
  },
});

const the = (check: PreflightCheck, verdict: PreflightCheck['verdict']) => {
  const found = check.findings.find((f) => f.verdict === verdict);
  if (!found) throw new Error(`no ${verdict} finding in ${JSON.stringify(check.findings, null, 1)}`);
  return found;
};

const runner = createPermissionsCheck({ aws: factory(motoEndpoint()) });

beforeAll(async () => {
  await reset();
});

describe('The permissions preflight on moto', () => {
  it('When the role has the console\u2019s statements and Secrets Manager may invoke the function for this account, then it passes, by statements (moto has no policy simulator)', async () => {
    const roleArn = await createRole('pf-ok-role', consoleStatements('pf-ok'));
    const fnArn = await createFunction('pf-ok', roleArn);
    const secretArn = await createSecret('pf/ok');

    const check = await runner.run(subjectOf({ secretArn, name: 'pf/ok', fn: { arn: fnArn, name: 'pf-ok', roleArn } }));

    expect(check).toMatchObject({ id: 'permissions', verdict: 'pass', method: NO_SIMULATOR_METHOD });
    expect(check.evidence).toContain('Policies of the role pf-ok-role: inline policy "SecretsManagerRotation" of role pf-ok-role (2 statements).');
    // moto differs from AWS here: it has no SimulatePrincipalPolicy (an internal error, HTTP 500).
    const simulated = await aws()
      .iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: ['secretsmanager:GetSecretValue'] }))
      .then(
        () => null,
        (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode,
      );
    expect(simulated).toBe(500);
  });

  it('When the role\u2019s policy misses PutSecretValue, then it fails naming it, and its put-role-policy makes it pass', async () => {
    const partial = [
      {
        Effect: 'Allow',
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
          'secretsmanager:GetRandomPassword',
        ],
        Resource: '*',
      },
    ];
    const roleArn = await createRole('pf-put-role', partial);
    const fnArn = await createFunction('pf-put', roleArn);
    const secretArn = await createSecret('pf/put');
    const subject = subjectOf({ secretArn, name: 'pf/put', fn: { arn: fnArn, name: 'pf-put', roleArn } });

    const broken = await runner.run(subject);
    const fail = the(broken, 'fail');
    expect(broken.verdict).toBe('fail');
    expect(fail.message).toBe('The role pf-put-role may not secretsmanager:PutSecretValue on secret pf/put: no statement of its policies allows it.');
    expect(fail.fix).toBe(
      `aws iam put-role-policy --role-name pf-put-role --policy-name SecretsManagerRotation-pf-put --policy-document '${JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'secretsmanager:DescribeSecret',
              'secretsmanager:GetSecretValue',
              'secretsmanager:PutSecretValue',
              'secretsmanager:UpdateSecretVersionStage',
            ],
            Resource: secretArn,
          },
        ],
      })}' --region ${region}`,
    );

    runFix(fail.fix);
    expect((await runner.run(subject)).verdict).toBe('pass');
  });

  it('When an attached managed policy denies PutSecretValue, then it fails naming that policy\u2019s statement, and detaching it makes it pass', async () => {
    const roleArn = await createRole('pf-deny-role', consoleStatements('pf-deny'));
    const policy = await aws().iam.send(
      new CreatePolicyCommand({
        PolicyName: 'pf-no-writes',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'NoWrites', Effect: 'Deny', Action: 'secretsmanager:Put*', Resource: '*' }],
        }),
      }),
    );
    await aws().iam.send(new AttachRolePolicyCommand({ RoleName: 'pf-deny-role', PolicyArn: policy.Policy!.Arn! }));
    const fnArn = await createFunction('pf-deny', roleArn);
    const secretArn = await createSecret('pf/deny');
    const subject = subjectOf({ secretArn, name: 'pf/deny', fn: { arn: fnArn, name: 'pf-deny', roleArn } });

    const fail = the(await runner.run(subject), 'fail');
    expect(fail.message).toBe(
      `secretsmanager:PutSecretValue on secret pf/deny is denied to the role pf-deny-role by statement "NoWrites" of managed policy ${policy.Policy!.Arn}: an explicit Deny wins over any Allow.`,
    );
    expect(fail.fix!.split('\n').at(-1)).toBe(`aws iam detach-role-policy --role-name pf-deny-role --policy-arn ${policy.Policy!.Arn} --region ${region}`);

    runFix(fail.fix);
    expect((await runner.run(subject)).verdict).toBe('pass');
  });

  it('When the secret\u2019s customer managed key policy leaves out the role, then it fails with a create-grant that makes it pass; a key policy that names the role passes', async () => {
    const admin = { Sid: 'KeyAdmins', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:role/key-admin` }, Action: 'kms:*', Resource: '*' };
    const roleArn = await createRole('pf-kms-role', consoleStatements('pf-kms'));
    const fnArn = await createFunction('pf-kms', roleArn);
    const keyArn = await createKey([admin]);
    const secretArn = await createSecret('pf/kms', keyArn);
    const subject = subjectOf({ secretArn, name: 'pf/kms', kmsKeyId: keyArn, fn: { arn: fnArn, name: 'pf-kms', roleArn } });

    const fail = the(await runner.run(subject), 'fail');
    expect(fail.message).toBe(
      `The role pf-kms-role may not kms:Decrypt, kms:GenerateDataKey on KMS key ${keyArn}: the key policy of ${keyArn} names neither the role nor the account (whose IAM policies could then allow it), and no grant gives it to the role.`,
    );
    expect(fail.fix).toBe(`aws kms create-grant --key-id ${keyArn} --grantee-principal ${roleArn} --operations Decrypt GenerateDataKey --region ${region}`);
    runFix(fail.fix);
    const fixed = await runner.run(subject);
    expect(fixed.verdict).toBe('pass');
    expect(fixed.evidence.find((e) => e.startsWith('Secret key'))).toMatch(
      /customer managed; key policy 1 statement; 1 grant \(to the role: \S+ Decrypt\+GenerateDataKey\)/,
    );

    const naming = await createKey([
      admin,
      { Sid: 'Rotation', Effect: 'Allow', Principal: { AWS: roleArn }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' },
    ]);
    const namedSecret = await createSecret('pf/kms-named', naming);
    const named = await runner.run(subjectOf({ secretArn: namedSecret, name: 'pf/kms-named', kmsKeyId: naming, fn: { arn: fnArn, name: 'pf-kms', roleArn } }));
    expect(named.verdict).toBe('pass');
  });

  it('When alternating users rotate with a master the role may not read, then it fails with the console\u2019s master grant, which makes it pass', async () => {
    const roleArn = await createRole('pf-master-role', consoleStatements('pf-master'));
    const fnArn = await createFunction('pf-master', roleArn);
    const masterArn = await createSecret('pf/master-admin');
    const secretArn = await createSecret('pf/master-app');
    const subject = subjectOf({ secretArn, name: 'pf/master-app', master: { arn: masterArn, kmsKeyId: null }, fn: { arn: fnArn, name: 'pf-master', roleArn } });

    const broken = await runner.run(subject);
    const fail = the(broken, 'fail');
    expect(fail.message).toBe(
      `The role pf-master-role may not secretsmanager:GetSecretValue on master secret ${masterArn}: no statement of its policies allows it.`,
    );
    expect(fail.fix).toContain(
      `aws iam put-role-policy --role-name pf-master-role --policy-name SecretsManagerMasterSecretAccess --policy-document file://master-policy.new.json --region ${region}`,
    );

    runFix(fail.fix);
    expect((await runner.run(subject)).verdict).toBe('pass');
  });

  it('When the function has no invoke permission, then fail; with one but no SourceAccount, a warning; its fix adds SourceAccount and it passes', async () => {
    const roleArn = await createRole('pf-invoke-role', consoleStatements('pf-invoke'));
    const fnArn = await createFunction('pf-invoke', roleArn, { invoke: false });
    const secretArn = await createSecret('pf/invoke');
    const subject = subjectOf({ secretArn, name: 'pf/invoke', fn: { arn: fnArn, name: 'pf-invoke', roleArn } });
    const addPermission = `aws lambda add-permission --function-name pf-invoke --statement-id SecretsManagerAccess --action lambda:InvokeFunction --principal secretsmanager.amazonaws.com --source-account ${accountId} --region ${region}`;

    const missing = await runner.run(subject);
    expect(missing.verdict).toBe('fail');
    expect(the(missing, 'fail')).toEqual({
      verdict: 'fail',
      message: `Secrets Manager may not invoke pf-invoke: it has no resource policy that allows secretsmanager.amazonaws.com lambda:InvokeFunction for this secret in account ${accountId}.`,
      fix: addPermission,
    });

    await aws().lambda.send(
      new AddPermissionCommand({ FunctionName: 'pf-invoke', StatementId: 'Open', Action: 'lambda:InvokeFunction', Principal: 'secretsmanager.amazonaws.com' }),
    );
    const open = await runner.run(subject);
    expect(open.verdict).toBe('warning');
    expect(the(open, 'warning').message).toContain('without an aws:SourceAccount condition');
    expect(the(open, 'warning').fix).toBe(`aws lambda remove-permission --function-name pf-invoke --statement-id Open --region ${region}\n${addPermission}`);

    runFix(the(open, 'warning').fix);
    expect((await runner.run(subject)).verdict).toBe('pass');
  });

  it('When the function is planned, then the plan\u2019s role policy is evaluated for the role the plan creates, and the invoke permission passes with a note', async () => {
    const secretArn = await createSecret('pf/planned');
    const planned = (statements: unknown[], kmsKeyId: string | null = null) =>
      subjectOf({
        secretArn,
        name: 'pf/planned',
        kmsKeyId,
        fn: { arn: null, name: 'pf-planned', roleArn: null },
        plannedRolePolicy: { Statement: statements },
      });
    const plan = plannedRotationRoleStatements({ secretArn, functionName: 'pf-planned', masterSecretArn: null });

    const check = await runner.run(planned(plan));
    expect(check).toMatchObject({ verdict: 'pass', method: PLAN_METHOD });
    expect(check.findings.at(-1)!.message).toBe(
      `The plan lets Secrets Manager invoke the new function pf-planned, for account ${accountId} only (aws lambda add-permission --function-name pf-planned --statement-id SecretsManagerAccess --action lambda:InvokeFunction --principal secretsmanager.amazonaws.com --source-account ${accountId} --region ${region}).`,
    );

    const short = await runner.run(planned(plan.slice(0, 1)));
    expect(the(short, 'fail').message).toBe(
      'The role the plan creates may not secretsmanager:GetRandomPassword on any resource (it names none): no statement of its policies allows it.',
    );

    // The plan grants no KMS statement: a customer managed key that leaves its use to IAM is not usable by the new role.
    const keyArn = await createKey([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }]);
    const withKey = await runner.run(planned(plan, keyArn));
    expect(the(withKey, 'fail')).toEqual({
      verdict: 'fail',
      message: `The role the plan creates may not kms:Decrypt, kms:GenerateDataKey on KMS key ${keyArn}: the key policy leaves it to IAM, and no statement of the role's policies allows it (nor does a grant).`,
      fix: `# once the plan has created the function\u2019s role:\naws kms create-grant --key-id ${keyArn} --grantee-principal '<the new role\u2019s ARN>' --operations Decrypt GenerateDataKey --region ${region}`,
    });
  });
});

describe('The permissions preflight where AWS refuses a read, and with a policy simulator', () => {
  let proxy: AwsProxy;
  /** SimulatePrincipalPolicy as IAM answers it: here every action allowed but PutSecretValue, which a Deny matches. */
  const simulatorAnswer = (body: Buffer) => {
    const form = new URLSearchParams(body.toString('utf8'));
    const actions = [...form.entries()].filter(([k]) => k.startsWith('ActionNames.member.')).map(([, v]) => v);
    const resource = form.get('ResourceArns.member.1') ?? '*';
    const member = (action: string) =>
      action === 'secretsmanager:PutSecretValue'
        ? `<member><EvalActionName>${action}</EvalActionName><EvalResourceName>${resource}</EvalResourceName><EvalDecision>explicitDeny</EvalDecision><MatchedStatements><member><SourcePolicyId>no-writes</SourcePolicyId><SourcePolicyType>IAM Policy</SourcePolicyType></member></MatchedStatements><MissingContextValues/></member>`
        : `<member><EvalActionName>${action}</EvalActionName><EvalResourceName>${resource}</EvalResourceName><EvalDecision>allowed</EvalDecision><MatchedStatements/><MissingContextValues/></member>`;
    return `<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults>${actions.map(member).join('')}</EvaluationResults></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>sim-1</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>`;
  };

  beforeAll(async () => {
    proxy = await startAwsProxy({
      target: motoEndpoint(),
      intercept: async ({ headers, body }) => {
        if (headers['x-amz-target'] === 'TrentService.GetKeyPolicy') {
          return {
            status: 400,
            contentType: 'application/x-amz-json-1.1',
            body: JSON.stringify({ __type: 'AccessDeniedException', message: 'User is not authorized to perform: kms:GetKeyPolicy' }),
          };
        }
        if (new URLSearchParams(body.toString('utf8')).get('Action') === 'SimulatePrincipalPolicy') {
          return { status: 200, contentType: 'text/xml', body: simulatorAnswer(body) };
        }
        return undefined;
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('When the key policy cannot be read, then the key\u2019s part is "cannot tell", naming the refusal; the simulator decides the role\u2019s policies and its Deny fails', async () => {
    const behindProxy = createPermissionsCheck({ aws: factory(proxy.url) });
    const roleArn = await createRole('pf-sim-role', consoleStatements('pf-sim'));
    const fnArn = await createFunction('pf-sim', roleArn);
    const keyArn = await createKey([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }]);
    const secretArn = await createSecret('pf/sim', keyArn);

    const check = await behindProxy.run(subjectOf({ secretArn, name: 'pf/sim', kmsKeyId: keyArn, fn: { arn: fnArn, name: 'pf-sim', roleArn } }));

    expect(check.method).toBe(SIMULATOR_METHOD);
    expect(check.verdict).toBe('fail');
    expect(the(check, 'fail').message).toBe(
      'secretsmanager:PutSecretValue on secret pf/sim is denied to the role pf-sim-role by policy no-writes: an explicit Deny wins over any Allow.',
    );
    expect(the(check, 'unknown').message).toContain(
      `Cannot tell whether the role pf-sim-role may kms:Decrypt, kms:GenerateDataKey on KMS key ${keyArn}: a read was refused (AWS refused GetKeyPolicy: AccessDeniedException`,
    );
    expect(the(check, 'unknown').fix).toContain(
      `aws iam simulate-principal-policy --policy-source-arn ${roleArn} --action-names kms:Decrypt kms:GenerateDataKey`,
    );
    // With a simulator, the role's statements are not read.
    expect(proxy.calls.filter((c) => ['ListRolePolicies', 'GetRolePolicy'].includes(c.operation))).toEqual([]);
    expect(proxy.calls.filter((c) => c.mutating)).toEqual([]);
  });
});

describe('The permissions preflight with a simulator that answers as no IAM does', () => {
  let proxy: AwsProxy;
  /** LocalStack's open-source SimulatePrincipalPolicy: every action it does not match by name is an explicit Deny naming no statement. */
  const emulatorAnswer = (body: Buffer) => {
    const form = new URLSearchParams(body.toString('utf8'));
    const actions = [...form.entries()].filter(([k]) => k.startsWith('ActionNames.member.')).map(([, v]) => v);
    const resource = form.get('ResourceArns.member.1') ?? '*';
    const member = (action: string) =>
      `<member><EvalActionName>${action}</EvalActionName><EvalResourceName>${resource}</EvalResourceName><EvalDecision>explicitDeny</EvalDecision></member>`;
    return `<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults>${actions.map(member).join('')}</EvaluationResults></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>sim-2</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>`;
  };

  beforeAll(async () => {
    proxy = await startAwsProxy({
      target: motoEndpoint(),
      intercept: async ({ body }) =>
        new URLSearchParams(body.toString('utf8')).get('Action') === 'SimulatePrincipalPolicy'
          ? { status: 200, contentType: 'text/xml', body: emulatorAnswer(body) }
          : undefined,
    });
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('When the simulator denies without naming a statement, then its answers are not used: the console evaluates the role\u2019s statements and says so', async () => {
    const behindProxy = createPermissionsCheck({ aws: factory(proxy.url) });
    const roleArn = await createRole('pf-implausible-role', consoleStatements('pf-implausible'));
    const fnArn = await createFunction('pf-implausible', roleArn);
    const secretArn = await createSecret('pf/implausible');

    const check = await behindProxy.run(subjectOf({ secretArn, name: 'pf/implausible', fn: { arn: fnArn, name: 'pf-implausible', roleArn } }));

    expect(check.method).toBe(
      'statements evaluated by the console: the policy simulator answered an explicit Deny that names no statement, which IAM never does',
    );
    expect(check.findings.filter((f) => /explicit Deny/.test(f.message))).toEqual([]);
    expect(proxy.calls.filter((c) => c.operation === 'ListRolePolicies')).not.toEqual([]);
  });
});
