import { describe, expect, it } from 'vitest';
import { fromSimulator, type NamedPolicy, type PolicyDecision } from '../src/iam-policy.ts';
import { permissionsCheck, type KmsKeyFacts, type PermissionsFacts, type Read } from '../src/preflight/permissions.ts';
import type { PreflightSubject } from '../src/preflight/subject.ts';

const account = '123456789012';
const secretArn = `arn:aws:secretsmanager:eu-west-1:${account}:secret:prod/db-AbCdEf`;
const masterArn = `arn:aws:secretsmanager:eu-west-1:${account}:secret:prod/master-XyZ123`;
const roleArn = `arn:aws:iam::${account}:role/app-rotation`;
const fnArn = `arn:aws:lambda:eu-west-1:${account}:function:pg-rotation`;
const keyArn = `arn:aws:kms:eu-west-1:${account}:key/1111-2222`;

const subject = (overrides: Partial<PreflightSubject> = {}, fn: Partial<PreflightSubject['fn']> = {}): PreflightSubject => ({
  saveAdds: null,
  secret: { arn: secretArn, name: 'prod/db', accountId: account, region: 'eu-west-1', kmsKeyId: null },
  strategy: 'single-user',
  database: { engine: 'postgres', host: 'db.internal', port: 5432, masterSecretArn: null, masterKmsKeyId: null },
  ...overrides,
  fn: {
    arn: fnArn,
    name: 'pg-rotation',
    runtime: 'nodejs24.x',
    timeoutSeconds: 30,
    roleArn,
    secretsManagerEndpoint: null,
    vpc: null,
    consoles: true,
    codeSha256: null,
    plannedRolePolicy: null,
    ...fn,
  },
});

/** The statements the console's template grants (packages/rotation-functions/template), filled in. */
const templateStatements = (extra: unknown[] = []) => [
  {
    Effect: 'Allow',
    Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
    Resource: `arn:aws:secretsmanager:eu-west-1:${account}:secret:*`,
    Condition: { StringEquals: { 'secretsmanager:resource/AllowRotationLambdaArn': fnArn } },
  },
  { Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
  ...extra,
];

const inline = (name: string, statements: unknown[]): NamedPolicy => ({
  name: `inline policy "${name}" of role app-rotation`,
  source: { kind: 'inline', roleName: 'app-rotation', policyName: name },
  statements,
});

const invokePolicy = (condition?: unknown): NamedPolicy => ({
  name: 'resource policy of pg-rotation',
  source: { kind: 'function', functionArn: fnArn },
  statements: [
    {
      Sid: 'SecretsManagerAccess',
      Effect: 'Allow',
      Principal: { Service: 'secretsmanager.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: fnArn,
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});
const sourceAccount = { StringEquals: { 'AWS:SourceAccount': account } };

const facts = (overrides: Partial<PermissionsFacts> = {}): PermissionsFacts => ({
  subject: subject(),
  role: { by: 'statements', policies: { value: [inline('SecretsManagerRotation', templateStatements())] }, boundary: { value: null } },
  secretKey: null,
  masterKey: null,
  secretPolicy: { value: null },
  masterPolicy: null,
  masterRotationFunction: null,
  functionPolicy: { value: invokePolicy(sourceAccount) },
  method: 'statements evaluated by the console',
  ...overrides,
});

const customerKey = (statements: unknown[], grants: KmsKeyFacts['grants'] = { value: [] }): KmsKeyFacts => ({
  given: keyArn,
  key: { value: { arn: keyArn, manager: 'CUSTOMER' } },
  policy: { value: { name: `key policy of ${keyArn}`, source: { kind: 'key', keyArn }, statements } },
  grants,
});
const rootDelegates = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const adminOnly = { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:role/key-admin` }, Action: 'kms:*', Resource: '*' };

const verdicts = (check: ReturnType<typeof permissionsCheck>) => check.findings.map((f) => f.verdict);

describe('The permissions preflight (pure)', () => {
  it('When the role has the template\u2019s statements and Secrets Manager may invoke the function for this account, then it passes', () => {
    const check = permissionsCheck(facts());

    expect(check.verdict).toBe('pass');
    expect(check.findings.every((f) => f.fix === null)).toBe(true);
    expect(check.evidence).toContain(`Conditions evaluated with secretsmanager:resource/AllowRotationLambdaArn = ${fnArn} (the function rotation will call).`);
  });

  it('When the role\u2019s policy lacks PutSecretValue, then it fails naming the action, with a put-role-policy of the whole set in the secret\u2019s region', () => {
    const statements = [
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
    const check = permissionsCheck(facts({ role: { by: 'statements', policies: { value: [inline('partial', statements)] }, boundary: { value: null } } }));
    const fail = check.findings.find((f) => f.verdict === 'fail')!;

    expect(check.verdict).toBe('fail');
    expect(fail.message).toBe('The role app-rotation may not secretsmanager:PutSecretValue on secret prod/db: no statement of its policies allows it.');
    expect(fail.fix).toBe(
      `aws iam put-role-policy --role-name app-rotation --policy-name SecretsManagerRotation-prod-db --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:DescribeSecret","secretsmanager:GetSecretValue","secretsmanager:PutSecretValue","secretsmanager:UpdateSecretVersionStage"],"Resource":"${secretArn}"}]}' --region eu-west-1`,
    );
  });

  it('When an explicit Deny matches, then it fails naming the statement, and the fix edits that policy', () => {
    const deny = { Sid: 'NoWrites', Effect: 'Deny', Action: 'secretsmanager:PutSecretValue', Resource: '*' };
    const check = permissionsCheck(
      facts({
        role: {
          by: 'statements',
          policies: { value: [inline('SecretsManagerRotation', templateStatements()), inline('guard', [deny])] },
          boundary: { value: null },
        },
      }),
    );
    const fail = check.findings.find((f) => f.verdict === 'fail')!;

    expect(fail.message).toContain(
      'secretsmanager:PutSecretValue on secret prod/db is denied to the role app-rotation by statement "NoWrites" of inline policy "guard"',
    );
    expect(fail.fix).toContain(
      'aws iam get-role-policy --role-name app-rotation --policy-name guard --query PolicyDocument --output json --region eu-west-1 > policy.json',
    );
    expect(fail.fix).toContain('aws iam put-role-policy --role-name app-rotation --policy-name guard --policy-document file://policy.json --region eu-west-1');
  });

  it('When the secret\u2019s customer managed key policy names only its admins, then KMS fails with a create-grant; a grant to the role passes', () => {
    const kms = { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn };
    const role = { by: 'statements' as const, policies: { value: [inline('SecretsManagerRotation', templateStatements([kms]))] }, boundary: { value: null } };
    const base = { subject: subject({ secret: { arn: secretArn, name: 'prod/db', accountId: account, region: 'eu-west-1', kmsKeyId: keyArn } }), role };
    const left = permissionsCheck(facts({ ...base, secretKey: customerKey([adminOnly]) }));
    const fail = left.findings.find((f) => f.verdict === 'fail')!;

    expect(fail.message).toContain(
      `may not kms:Decrypt, kms:GenerateDataKey on KMS key ${keyArn}: the key policy of ${keyArn} names neither the role nor the account`,
    );
    expect(fail.fix).toBe(`aws kms create-grant --key-id ${keyArn} --grantee-principal ${roleArn} --operations Decrypt GenerateDataKey --region eu-west-1`);

    const granted = customerKey([adminOnly], {
      value: [{ grantId: 'g1', granteePrincipal: roleArn, operations: ['Decrypt', 'GenerateDataKey'], constraints: null }],
    });
    expect(permissionsCheck(facts({ ...base, secretKey: granted })).verdict).toBe('pass');
    expect(permissionsCheck(facts({ ...base, secretKey: customerKey([rootDelegates]) })).verdict).toBe('pass');
  });

  it('When the key policy delegates to IAM but the role\u2019s policies grant no KMS, then it fails saying so; a key policy naming the role needs no IAM statement', () => {
    const base = { subject: subject({ secret: { arn: secretArn, name: 'prod/db', accountId: account, region: 'eu-west-1', kmsKeyId: keyArn } }) };
    const delegated = permissionsCheck(facts({ ...base, secretKey: customerKey([rootDelegates]) }));

    expect(delegated.findings.find((f) => f.verdict === 'fail')!.message).toContain(
      "the key policy leaves it to IAM, and no statement of the role's policies allows it (nor does a grant)",
    );
    const named = { Effect: 'Allow', Principal: { AWS: roleArn }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' };
    expect(permissionsCheck(facts({ ...base, secretKey: customerKey([adminOnly, named]) })).verdict).toBe('pass');
  });

  it('When the key is aws/secretsmanager (even where DescribeKey says CUSTOMER, as moto does), then no key policy is needed', () => {
    const awsKey: KmsKeyFacts = { given: 'alias/aws/secretsmanager', key: { value: { arn: keyArn, manager: 'CUSTOMER' } }, policy: null, grants: null };
    const check = permissionsCheck(facts({ secretKey: awsKey }));

    expect(check.verdict).toBe('pass');
    expect(check.evidence.some((e) => e.includes('AWS managed'))).toBe(true);
  });

  it('When alternating users read a master the role may not read, then it fails with the console\u2019s master grant; with the grant it passes', () => {
    const s = subject({
      strategy: 'alternating-users',
      database: { engine: 'postgres', host: 'db', port: 5432, masterSecretArn: masterArn, masterKmsKeyId: null },
    });
    const check = permissionsCheck(facts({ subject: s, masterPolicy: { value: null }, masterRotationFunction: { value: null } }));
    const fail = check.findings.find((f) => f.verdict === 'fail')!;

    expect(fail.message).toContain(`may not secretsmanager:GetSecretValue on master secret ${masterArn}`);
    expect(fail.fix).toContain(
      'aws iam put-role-policy --role-name app-rotation --policy-name SecretsManagerMasterSecretAccess --policy-document file://master-policy.new.json --region eu-west-1',
    );

    const grant = { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: masterArn };
    const role = { by: 'statements' as const, policies: { value: [inline('SecretsManagerRotation', templateStatements([grant]))] }, boundary: { value: null } };
    expect(permissionsCheck(facts({ subject: s, role, masterPolicy: { value: null }, masterRotationFunction: { value: null } })).verdict).toBe('pass');
  });

  it('When a statement depends on a condition the console cannot evaluate, then that action is "cannot tell", with the simulator command that settles it', () => {
    const vpcOnly = templateStatements().map((st, i) => (i === 1 ? { ...(st as object), Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } } : st));
    const check = permissionsCheck(facts({ role: { by: 'statements', policies: { value: [inline('p', vpcOnly)] }, boundary: { value: null } } }));
    const unknown = check.findings.find((f) => f.verdict === 'unknown')!;

    expect(check.verdict).toBe('unknown');
    expect(unknown.message).toContain('secretsmanager:GetRandomPassword');
    expect(unknown.message).toContain('StringEquals aws:SourceVpc');
    expect(unknown.fix).toMatch(
      /^aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:role\/app-rotation --action-names secretsmanager:GetRandomPassword --resource-arns '\*' --context-entries .* --region eu-west-1$/,
    );
  });

  it('When a read was refused, then the part it decides is "cannot tell", naming the error', () => {
    const check = permissionsCheck(facts({ secretPolicy: { error: 'AWS refused GetResourcePolicy: AccessDeniedException' } }));

    expect(check.verdict).toBe('unknown');
    expect(check.findings.find((f) => f.verdict === 'unknown')!.message).toContain('a read was refused (AWS refused GetResourcePolicy: AccessDeniedException)');
  });

  it('When a permissions boundary leaves an action out, then it fails naming the boundary', () => {
    const boundary: NamedPolicy = {
      name: 'permissions boundary arn:aws:iam::123456789012:policy/b',
      source: { kind: 'boundary', policyArn: 'arn:aws:iam::123456789012:policy/b' },
      statements: [{ Effect: 'Allow', Action: ['secretsmanager:Describe*', 'secretsmanager:Get*', 'secretsmanager:UpdateSecretVersionStage'], Resource: '*' }],
    };
    const check = permissionsCheck(
      facts({ role: { by: 'statements', policies: { value: [inline('SecretsManagerRotation', templateStatements())] }, boundary: { value: boundary } } }),
    );
    const fail = check.findings.find((f) => f.verdict === 'fail')!;

    expect(fail.message).toContain('may not secretsmanager:PutSecretValue on secret prod/db: the role\u2019s permissions boundary'.replace('\u2019', "'"));
    expect(fail.fix).toContain('aws iam create-policy-version --policy-arn arn:aws:iam::123456789012:policy/b');
  });

  it('When the function\u2019s policy has no Secrets Manager statement, one without SourceAccount, one for another account, or one with it, then fail, warning, fail, pass', () => {
    const none = permissionsCheck(facts({ functionPolicy: { value: null } }));
    const bare = permissionsCheck(facts({ functionPolicy: { value: invokePolicy() } }));
    const other = permissionsCheck(facts({ functionPolicy: { value: invokePolicy({ StringEquals: { 'AWS:SourceAccount': '999999999999' } }) } }));
    const guarded = permissionsCheck(facts({ functionPolicy: { value: invokePolicy(sourceAccount) } }));
    const add = `aws lambda add-permission --function-name pg-rotation --statement-id SecretsManagerAccess --action lambda:InvokeFunction --principal secretsmanager.amazonaws.com --source-account ${account} --region eu-west-1`;

    expect([none.verdict, bare.verdict, other.verdict, guarded.verdict]).toEqual(['fail', 'warning', 'fail', 'pass']);
    expect(none.findings.at(-1)!.fix).toBe(add);
    expect(bare.findings.at(-1)!.message).toContain('confused deputy');
    expect(bare.findings.at(-1)!.fix).toBe(
      `aws lambda remove-permission --function-name pg-rotation --statement-id SecretsManagerAccess --region eu-west-1\n${add}`,
    );
  });

  it('When the wizard\u2019s Save adds the invoke permission and the master grant itself, then those pass saying Save adds them, where Check rotation fails them', () => {
    const s = subject({
      strategy: 'alternating-users',
      database: { engine: 'postgres', host: 'db', port: 5432, masterSecretArn: masterArn, masterKmsKeyId: null },
    });
    const read = { functionPolicy: { value: null }, masterPolicy: { value: null }, masterRotationFunction: { value: null } };

    const configured = permissionsCheck(facts({ subject: s, ...read }));
    const wizard = permissionsCheck(
      facts({ subject: { ...s, saveAdds: { invokePermission: true, masterGrant: true, secretsManagerEndpoint: false } }, ...read }),
    );

    expect(configured.verdict).toBe('fail');
    expect(wizard.verdict).toBe('pass');
    expect(wizard.findings.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Save grants .* on the master secret/),
        expect.stringMatching(/^Save lets Secrets Manager invoke pg-rotation/),
      ]),
    );
  });

  it('When the function is planned, then the plan\u2019s role policy is evaluated for "the role the plan creates", and its invoke permission passes with a note', () => {
    const planned = subject({}, { arn: null, roleArn: null, plannedRolePolicy: { Statement: templateStatements() } });
    const check = permissionsCheck(facts({ subject: planned, role: { by: 'plan' }, functionPolicy: null }));

    expect(check.verdict).toBe('pass');
    expect(check.findings[0]!.message).toBe(
      'The role the plan creates may secretsmanager:DescribeSecret, secretsmanager:GetSecretValue, secretsmanager:PutSecretValue, secretsmanager:UpdateSecretVersionStage on secret prod/db.',
    );
    expect(check.findings.at(-1)!.message).toContain('The plan lets Secrets Manager invoke the new function pg-rotation');

    const short = subject({}, { arn: null, roleArn: null, plannedRolePolicy: { Statement: templateStatements().slice(0, 1) } });
    const missing = permissionsCheck(facts({ subject: short, role: { by: 'plan' }, functionPolicy: null }));
    expect(missing.findings.find((f) => f.verdict === 'fail')!.message).toContain('The role the plan creates may not secretsmanager:GetRandomPassword');
  });

  it('When the simulator answered, then its explicit Deny fails, with the simulator command to see the statement', () => {
    const decisions = new Map<string, Read<PolicyDecision>>([
      [
        `secretsmanager:PutSecretValue ${secretArn}`,
        { value: fromSimulator({ EvalDecision: 'explicitDeny', MatchedStatements: [{ SourcePolicyId: 'guard' }] }, roleArn) },
      ],
    ]);
    for (const a of ['DescribeSecret', 'GetSecretValue', 'UpdateSecretVersionStage']) {
      decisions.set(`secretsmanager:${a} ${secretArn}`, { value: fromSimulator({ EvalDecision: 'allowed' }, roleArn) });
    }
    decisions.set('secretsmanager:GetRandomPassword *', { value: fromSimulator({ EvalDecision: 'allowed' }, roleArn) });
    const check = permissionsCheck(facts({ role: { by: 'simulator', decisions }, method: 'IAM policy simulator' }));

    expect(verdicts(check)).toEqual(['pass', 'fail', 'pass', 'pass']);
    expect(check.findings[1]!.message).toContain('is denied to the role app-rotation by policy guard');
    expect(check.findings[1]!.fix).toContain('aws iam simulate-principal-policy --policy-source-arn');
  });
});
