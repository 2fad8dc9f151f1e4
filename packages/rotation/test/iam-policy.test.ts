import { describe, expect, it } from 'vitest';
import {
  actionMatches,
  evaluateConditions,
  evaluateIdentityPolicies,
  evaluateResourcePolicy,
  fromSimulator,
  principalMatch,
  resourceMatches,
  type Caller,
  type NamedPolicy,
} from '../src/iam-policy.ts';
import { inRegion } from '../src/shell.ts';

const account = '123456789012';
const secret = `arn:aws:secretsmanager:us-east-1:${account}:secret:prod/db-AbCdEf`;
const roleArn = `arn:aws:iam::${account}:role/app-rotation`;
const fnArn = `arn:aws:lambda:us-east-1:${account}:function:pg-rotation`;
const role: Caller = { kind: 'role', arn: roleArn, accountId: account };

const policy = (...statements: unknown[]): NamedPolicy => ({
  name: 'inline policy "p" of role app-rotation',
  source: { kind: 'inline', roleName: 'app-rotation', policyName: 'p' },
  statements,
});
const request = (action: string, resource = secret, context: Record<string, string[]> = {}) => ({ action, resource, context });

describe('IAM statement evaluation', () => {
  it('When actions are written with wildcards or another case, then they match as IAM matches them', () => {
    expect(actionMatches('secretsmanager:*', 'secretsmanager:PutSecretValue')).toBe(true);
    expect(actionMatches('SecretsManager:get*', 'secretsmanager:GetSecretValue')).toBe(true);
    expect(actionMatches('secretsmanager:Get?ecretValue', 'secretsmanager:GetSecretValue')).toBe(true);
    expect(actionMatches('secretsmanager:Get*', 'secretsmanager:PutSecretValue')).toBe(false);
    expect(actionMatches('*', 'kms:Decrypt')).toBe(true);
  });

  it('When resources are written with wildcards or policy variables, then they match case-sensitively, and a variable without a value is "maybe"', () => {
    expect(resourceMatches('*', secret)).toBe('yes');
    expect(resourceMatches('arn:aws:secretsmanager:us-east-1:*:secret:prod/*', secret)).toBe('yes');
    expect(resourceMatches('arn:aws:secretsmanager:us-east-1:*:secret:PROD/*', secret)).toBe('no');
    expect(resourceMatches('arn:aws:secretsmanager:*:*:secret:*', '*')).toBe('no');
    expect(resourceMatches('arn:aws:secretsmanager:us-east-1:${aws:PrincipalAccount}:secret:*', secret, { 'aws:principalaccount': [account] })).toBe('yes');
    expect(resourceMatches('arn:aws:secretsmanager:us-east-1:${aws:username}:secret:*', secret)).toBe('maybe');
  });

  it('When an Allow and an explicit Deny both match, then the Deny is reported and names its statement', () => {
    const decision = evaluateIdentityPolicies(
      [
        policy(
          { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' },
          { Sid: 'NoWrites', Effect: 'Deny', Action: ['secretsmanager:Put*', 'secretsmanager:Update*'], Resource: secret },
        ),
      ],
      request('secretsmanager:PutSecretValue'),
    );

    expect(decision).toMatchObject({ allow: 'yes', deny: 'yes' });
    expect(decision.deniedBy.map((d) => d.statement)).toEqual(['"NoWrites"']);
  });

  it('When a statement uses NotAction or NotResource, then it covers everything it does not name', () => {
    const p = [
      policy(
        { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
        { Sid: 'OnlyProd', Effect: 'Deny', Action: 'secretsmanager:*', NotResource: 'arn:aws:secretsmanager:*:*:secret:prod/*' },
      ),
    ];

    expect(evaluateIdentityPolicies(p, request('secretsmanager:GetSecretValue'))).toMatchObject({ allow: 'yes', deny: 'no' });
    expect(evaluateIdentityPolicies(p, request('iam:PassRole', '*'))).toMatchObject({ allow: 'no' });
    expect(evaluateIdentityPolicies(p, request('secretsmanager:GetSecretValue', secret.replace('prod/', 'dev/')))).toMatchObject({ deny: 'yes' });
  });

  it('When the template\u2019s condition on the secret\u2019s rotation function is met or not, then the statement applies or does not', () => {
    const p = [
      policy({
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: `arn:aws:secretsmanager:us-east-1:${account}:secret:*`,
        Condition: { StringEquals: { 'secretsmanager:resource/AllowRotationLambdaArn': fnArn } },
      }),
    ];

    expect(
      evaluateIdentityPolicies(p, request('secretsmanager:GetSecretValue', secret, { 'secretsmanager:resource/AllowRotationLambdaArn': [fnArn] })).allow,
    ).toBe('yes');
    expect(
      evaluateIdentityPolicies(p, request('secretsmanager:GetSecretValue', secret, { 'secretsmanager:resource/AllowRotationLambdaArn': [`${fnArn}-other`] }))
        .allow,
    ).toBe('no');
    const unknown = evaluateIdentityPolicies(p, request('secretsmanager:GetSecretValue'));
    expect(unknown.allow).toBe('maybe');
    expect(unknown.unevaluated).toEqual(['StringEquals secretsmanager:resource/AllowRotationLambdaArn']);
  });

  it('When condition keys are absent, then negated operators, IfExists and Null behave as IAM documents; an operator the console does not evaluate is "maybe"', () => {
    const absent = { 'aws:SourceVpc': [] };

    expect(evaluateConditions({ StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } }, absent).holds).toBe('yes');
    expect(evaluateConditions({ StringEquals: { 'aws:SourceVpc': 'vpc-1' } }, absent).holds).toBe('no');
    expect(evaluateConditions({ StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } }, absent).holds).toBe('yes');
    expect(evaluateConditions({ Null: { 'aws:SourceVpc': 'true' } }, absent).holds).toBe('yes');
    expect(evaluateConditions({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:securetransport': ['true'] }).holds).toBe('no');
    expect(evaluateConditions({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {})).toEqual({ holds: 'maybe', unevaluated: ['IpAddress aws:SourceIp'] });
    expect(evaluateConditions({ 'ForAnyValue:StringLike': { 'aws:TagKeys': 'team*' } }, { 'aws:TagKeys': ['owner', 'team'] }).holds).toBe('yes');
  });

  it('When a resource policy names the role, everyone, the account\u2019s root or a service, then the match says which', () => {
    expect(principalMatch({ AWS: roleArn }, role)).toBe('direct');
    expect(principalMatch('*', role)).toBe('direct');
    expect(principalMatch({ AWS: `arn:aws:iam::${account}:root` }, role)).toBe('account');
    expect(principalMatch({ AWS: account }, role)).toBe('account');
    expect(principalMatch({ AWS: 'arn:aws:iam::999999999999:root' }, role)).toBe('none');
    expect(principalMatch({ Service: 'secretsmanager.amazonaws.com' }, { kind: 'service', service: 'secretsmanager.amazonaws.com' })).toBe('direct');
  });

  it('When a key policy allows the account\u2019s root and denies with NotPrincipal naming only the root, then the role is delegated to IAM and still denied', () => {
    const keyPolicy: NamedPolicy = {
      name: 'key policy of k',
      source: { kind: 'key', keyArn: 'arn:aws:kms:us-east-1:123456789012:key/k' },
      statements: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'OnlyRoot', Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    };
    const answer = evaluateResourcePolicy(keyPolicy, request('kms:Decrypt', 'arn:aws:kms:us-east-1:123456789012:key/k'), role);

    expect(answer.direct.allow).toBe('no');
    expect(answer.account.allow).toBe('yes');
    expect(answer.deny).toBe('yes');
  });

  it('When the policy simulator answers, then its decisions map to Allow, Deny or "maybe" when it lacked a context value', () => {
    const p = roleArn;
    expect(fromSimulator({ EvalDecision: 'allowed' }, p)).toMatchObject({ allow: 'yes', deny: 'no' });
    expect(fromSimulator({ EvalDecision: 'explicitDeny', MatchedStatements: [{ SourcePolicyId: 'deny-writes' }] }, p)).toMatchObject({
      deny: 'yes',
      deniedBy: [{ policy: { name: 'policy deny-writes', source: { kind: 'simulator', roleArn } } }],
    });
    expect(fromSimulator({ EvalDecision: 'implicitDeny' }, p)).toMatchObject({ allow: 'no', deny: 'no' });
    expect(fromSimulator({ EvalDecision: 'implicitDeny', MissingContextValues: ['aws:SourceVpc'] }, p)).toMatchObject({ allow: 'maybe' });
  });
});

describe('inRegion', () => {
  it('When a CLI session has several lines, && and redirections, then every aws command names the region before its redirection', () => {
    const cli = ['aws iam get-role-policy --role-name r > p.json 2>/dev/null || echo x > p.json', 'jq . p.json', 'aws lambda a && aws lambda b'].join('\n');

    expect(inRegion(cli, 'eu-west-1')).toBe(
      [
        'aws iam get-role-policy --role-name r --region eu-west-1 > p.json 2>/dev/null || echo x > p.json',
        'jq . p.json',
        'aws lambda a --region eu-west-1 && aws lambda b --region eu-west-1',
      ].join('\n'),
    );
  });
});
