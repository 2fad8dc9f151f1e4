import type { FunctionsPage, FunctionUpdatePreview, RotationFunctionRow } from '@rotation-console/contracts';
import { aFreshness } from './dashboard-fixtures.ts';
import { FLEET, FLEET_FAILURE, fleetTargets, minutesAgo } from './fixtures.ts';

/** The console's current code (its CodeSha256); an older release's. */
export const CURRENT_SHA = 'Q3VycmVudENvZGVTaGEyNTZPZlRoZUNvbnNvbGUxMjM0NTY=';
export const OLD_SHA = 'T2xkQ29kZVNoYTI1Nk9mQW5FYXJsaWVyUmVsZWFzZTEyMzQ=';

const arnOf = (account: string, region: string, name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;
const secretArnOf = (account: string, region: string, name: string) => `arn:aws:secretsmanager:${region}:${account}:secret:${name}-AbCdEf`;

/** A rotation function of payments-prod in us-east-1, on a supported runtime, whose secrets rotate fine. */
export const aFunctionRow = (overrides: Partial<RotationFunctionRow> = {}): RotationFunctionRow => {
  const name = overrides.name ?? 'payments-rotation';
  const accountId = overrides.accountId ?? FLEET.payments.accountId;
  const region = overrides.region ?? 'us-east-1';
  return {
    accountId,
    accountName: FLEET.payments.accountName,
    region,
    name,
    arn: arnOf(accountId, region, name),
    description: 'Rotates the payments databases',
    runtime: 'nodejs24.x',
    runtimeEndOfLife: { verdict: 'supported', deprecatedOn: '2028-04-30', blockUpdateOn: '2028-07-01', daysLeft: 700, successor: 'nodejs24.x' },
    owners: ['payments'],
    owner: 'team payments',
    secrets: [{ name: 'prod/payments/orders-db', arn: secretArnOf(accountId, region, 'prod/payments/orders-db'), team: 'payments', status: 'healthy' }],
    secretCount: 1,
    lastRotation: {
      secretName: 'prod/payments/orders-db',
      secretArn: secretArnOf(accountId, region, 'prod/payments/orders-db'),
      at: minutesAgo(600),
      outcome: 'succeeded',
      failedStep: null,
      message: 'all four steps succeeded',
    },
    failing: 0,
    lastFailure: null,
    consoleFunction: false,
    codeSha256: 'c29tZSBvdGhlciBjb2Rl',
    atCurrentVersion: null,
    ...overrides,
  };
};

/** The console's own function of payments, deployed by an older release: an update is available. */
export const anOldConsoleFunction = (): RotationFunctionRow =>
  aFunctionRow({ name: 'payments-console-rotation', description: null, consoleFunction: true, codeSha256: OLD_SHA, atCurrentVersion: false });

/** An old Python function of identity-prod, deprecated, whose last rotation failed at setSecret. */
export const aDeprecatedFailingFunction = (): RotationFunctionRow => {
  const failure = {
    secretName: 'prod/identity/users-db',
    secretArn: secretArnOf(FLEET.identity.accountId, 'eu-west-1', 'prod/identity/users-db'),
    at: minutesAgo(90),
    outcome: 'failed' as const,
    failedStep: 'setSecret' as const,
    message: 'setSecret failed',
  };
  return aFunctionRow({
    accountId: FLEET.identity.accountId,
    accountName: FLEET.identity.accountName,
    region: 'eu-west-1',
    name: 'identity-legacy-rotation',
    runtime: 'python3.9',
    runtimeEndOfLife: { verdict: 'deprecated', deprecatedOn: '2025-12-15', blockUpdateOn: '2027-03-03', daysLeft: null, successor: 'python3.14' },
    owners: ['identity'],
    owner: 'team identity',
    secrets: [{ name: 'prod/identity/users-db', arn: failure.secretArn, team: 'identity', status: 'pending_or_failed' }],
    lastRotation: failure,
    failing: 1,
    lastFailure: failure,
  });
};

/** The page of a fleet: the three functions above; analytics-dev's Lambda did not answer. */
export const aFunctionsPage = (overrides: Partial<FunctionsPage> = {}): FunctionsPage => ({
  items: [aFunctionRow(), anOldConsoleFunction(), aDeprecatedFailingFunction()],
  targets: fleetTargets().map((t) => ({
    accountId: t.accountId,
    accountName: t.accountName,
    region: t.region,
    state: t.state === 'failed' ? ('failed' as const) : ('listed' as const),
    listedAt: t.state === 'failed' ? null : minutesAgo(0.5),
    error: t.state === 'failed' ? FLEET_FAILURE : null,
    functions: t.state === 'failed' ? 0 : 1,
  })),
  currentCodeSha256: CURRENT_SHA,
  freshness: aFreshness({ targets: fleetTargets() }),
  ...overrides,
});

/** What updating anOldConsoleFunction would do. */
export const anUpdatePreview = (overrides: Partial<FunctionUpdatePreview> = {}): FunctionUpdatePreview => {
  const row = anOldConsoleFunction();
  const stackName = `SecretsManagerRotation-${row.name}`;
  return {
    functionName: row.name,
    functionArn: row.arn,
    accountId: row.accountId,
    region: row.region,
    stackName,
    allowed: true,
    reason: null,
    currentCodeSha256: OLD_SHA,
    newCodeSha256: CURRENT_SHA,
    steps: [
      {
        id: 'upload-function-code',
        kind: 'upload-function-code',
        title: 'Upload the rotation function\u2019s code',
        awsCalls: ['s3:PutObject'],
        dependsOn: [],
        cli: 'aws s3api put-object --bucket rotation-console-111111111111-us-east-1 --key rotation-console/rotation-function-43757272656e.zip --body rotation-function.zip',
      },
      {
        id: 'create-function-change-set',
        kind: 'create-function-change-set',
        title: 'Create a change set on the function\u2019s stack with the current code',
        awsCalls: ['cloudformation:CreateChangeSet'],
        dependsOn: ['upload-function-code'],
        cli: `aws cloudformation create-change-set --stack-name ${stackName} --change-set-type UPDATE --parameters ParameterKey=engine,UsePreviousValue=true`,
      },
    ],
    stages: [['upload-function-code'], ['create-function-change-set']],
    cliSession: '',
    secrets: [{ name: 'prod/payments/orders-db', team: 'payments' }],
    acknowledgementRequired: true,
    warnings: ['payments-console-rotation rotates 1 secret (listed below): every rotation from now on runs the new code.'],
    ...overrides,
  };
};
