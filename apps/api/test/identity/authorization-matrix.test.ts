import { randomUUID } from 'node:crypto';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DEMO_FUNCTIONS, DEMO_VPC_NAME, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchStore } from '../../src/modules/batches/batch-store.ts';
import { demoNetwork } from '../support/rotation-fixtures.ts';
import { aws, motoEndpoint, reset } from '../support/support.ts';
import { startTeamsConsole, type Who } from '../support/teams-support.ts';

/**
 * The authorization matrix (issue 6, Proof): every route of the OpenAPI document, for each
 * kind of caller, with the status the policy gives. AUTH_MODE=oidc with real tokens from the
 * demo provider, against moto seeded with the demo account (secrets of payments, identity and
 * analytics). The owning team is payments. Request bodies are valid, so a status is the policy's
 * answer, not validation's. A route in the document without a row here fails the test.
 */
type Caller = 'anonymous' | Who;
const CALLERS: Caller[] = ['anonymous', 'viewer', 'owner', 'other-team', 'no-team', 'admin'];

interface Row {
  /** The request this caller makes: side-effecting routes give each allowed caller its own secret. */
  request: (who: Caller) => { path: string; body?: unknown; headers?: Record<string, string> };
  expected: Record<Caller, number>;
}

// The statuses, by rule (packages/contracts/src/policy.ts):
// - public: anyone, signed in or not;
// - signed in: any role; lists and counts are filtered to what the caller sees (tested in teams-scope.test.ts);
// - read a payments secret: viewers and admins, payments' operators; to other operators it does not exist (404);
// - a team action on a payments secret: payments' operators and admins; viewers 403; other operators 404;
// - a team action on no secret (a schedule preview by itself): any operator or admin.
const PUBLIC = { anonymous: 200, viewer: 200, owner: 200, 'other-team': 200, 'no-team': 200, admin: 200 };
const SIGNED_IN = { ...PUBLIC, anonymous: 401 };
const READ_OWN = { anonymous: 401, viewer: 200, owner: 200, 'other-team': 404, 'no-team': 404, admin: 200 };
const TEAM_ACTION = (ok: number) => ({ anonymous: 401, viewer: 403, owner: ok, 'other-team': 404, 'no-team': 404, admin: ok });
// Planning without a secret (the wizard's VPCs and functions): any operator or admin; viewers 403.

const SECRET = 'prod/payments/orders-db';
const id = (name: string) => encodeURIComponent(name);

await reset();
await seedDemoAccount(aws(), motoEndpoint());
const network = await demoNetwork();
const vpcId = (await aws().ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: [DEMO_VPC_NAME] }] }))).Vpcs![0]!.VpcId!;
// Payments' own function (tagged team = payments in the demo): an operator may use only its team's.
const functionArn = (await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: 'prod/payments/ledger-app' }))).RotationLambdaARN!;
const t = await startTeamsConsole();
afterAll(() => t.close());

/** A workflow on a payments secret, for reading it. */
const { workflow } = await t.console.api.store.create({
  kind: 'turn-off',
  subject: (await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: SECRET }))).ARN!,
  input: {},
  plan: { steps: [{ id: 'noop', kind: 'noop', dependsOn: [] }] },
  createdBy: { id: 'svc-payments', name: 'svc-payments', roles: ['operator'], teams: ['payments'] },
});

/** A batch with one payments secret, for reading it. */
const batchId = randomUUID();
await new BatchStore(t.console.api.database.db).create(
  {
    id: batchId,
    action: 'disable',
    summary: 'Turn off rotation for 1 secret',
    input: {},
    createdBy: { id: 'svc-payments', name: 'svc-payments', roles: ['operator'], teams: ['payments'] },
    createdAt: new Date().toISOString(),
    status: 'running',
    sharedWorkflowId: null,
    staggering: '',
    pacing: '',
  },
  [{ secretArn: workflow.subject, secretName: SECRET, team: 'payments', refusal: null, startOffsetMs: null, schedule: null, spec: null }],
);
/** A batch that enables rotation on one not-yet-rotated secret with payments' function, no rotation right away. */
const batchRequest = (secretId: string) => ({
  selection: { kind: 'secrets', secretIds: [secretId] },
  action: {
    action: 'enable',
    schedule: { kind: 'expression', expression: 'cron(0 2 ? * SUN *)' },
    duration: '2h',
    function: { mode: 'existing', functionArn, strategy: 'single-user' },
    acknowledgeSharedFunction: true,
  },
  preflight: false,
});

/**
 * A rotation request the plan accepts: payments' existing function, which also rotates ledger-app
 * (so the change is acknowledged), in payments' database network, no rotation right away.
 */
const rotationRequest = (secretId: string) => ({
  secretId,
  schedule: { kind: 'days', days: 30 },
  rotateImmediately: false,
  function: { mode: 'existing', functionArn, strategy: 'single-user' },
  network: { ...network, createSecretsManagerEndpoint: false },
  acknowledgeSharedFunction: true,
});
/** Each caller allowed to start something starts it on a secret of its own (one change at a time per secret). */
const own = (who: Caller, owner: string, admin: string) => (who === 'admin' ? admin : owner);

const ROWS: Record<string, Row> = {
  'GET /api/v1/openapi.json': { request: () => ({ path: '/api/v1/openapi.json' }), expected: PUBLIC },
  'GET /api/v1/health': { request: () => ({ path: '/api/v1/health' }), expected: PUBLIC },
  'GET /api/v1/me': { request: () => ({ path: '/api/v1/me' }), expected: SIGNED_IN },
  'GET /api/v1/csrf-token': { request: () => ({ path: '/api/v1/csrf-token' }), expected: SIGNED_IN },
  'GET /api/v1/audit': {
    request: () => ({ path: '/api/v1/audit' }),
    expected: { anonymous: 401, viewer: 403, owner: 403, 'other-team': 403, 'no-team': 403, admin: 200 },
  },
  'GET /api/v1/secrets': { request: () => ({ path: '/api/v1/secrets' }), expected: SIGNED_IN },
  // Refresh reads AWS into the index for the page in view: whoever may list it; each answer holds only the caller's secrets (teams-scope.test.ts).
  'POST /api/v1/secret-refreshes': { request: () => ({ path: '/api/v1/secret-refreshes', body: { name: 'prod/payments/' } }), expected: SIGNED_IN },
  'GET /api/v1/secrets/{secretId}': { request: () => ({ path: `/api/v1/secrets/${id(SECRET)}` }), expected: READ_OWN },
  'GET /api/v1/secrets/{secretId}/check': { request: () => ({ path: `/api/v1/secrets/${id(SECRET)}/check` }), expected: TEAM_ACTION(200) },
  // The master secret picker: whoever may plan for the secret; each answer holds only the secrets the caller may read (master-secret-candidates.test.ts).
  'GET /api/v1/secrets/{secretId}/master-secret-candidates': {
    request: () => ({ path: `/api/v1/secrets/${id(SECRET)}/master-secret-candidates` }),
    expected: TEAM_ACTION(200),
  },
  'GET /api/v1/secrets/{secretId}/network': { request: () => ({ path: `/api/v1/secrets/${id(SECRET)}/network` }), expected: TEAM_ACTION(200) },
  'GET /api/v1/secrets/{secretId}/timeline': { request: () => ({ path: `/api/v1/secrets/${id(SECRET)}/timeline` }), expected: READ_OWN },
  // What the wizard offers for a secret: whoever may plan for it (each answer holds only what the caller may use: ownership-matrix.test.ts).
  'GET /api/v1/lambda-functions': { request: () => ({ path: `/api/v1/lambda-functions?secretId=${id(SECRET)}` }), expected: TEAM_ACTION(200) },
  'POST /api/v1/function-adoptions': {
    request: () => ({ path: '/api/v1/function-adoptions', body: { functionName: DEMO_FUNCTIONS[0], team: 'identity' } }),
    expected: { anonymous: 401, viewer: 403, owner: 403, 'other-team': 403, 'no-team': 403, admin: 200 },
  },
  // The Functions page: anyone signed in; each answer holds only the functions the caller may see (functions-page.test.ts).
  'GET /api/v1/functions': { request: () => ({ path: '/api/v1/functions' }), expected: SIGNED_IN },
  // What an update of payments' function would do: who may see the function (its owners, viewers, admins); to other operators it does not exist.
  'POST /api/v1/function-update-previews': { request: () => ({ path: '/api/v1/function-update-previews', body: { functionArn } }), expected: READ_OWN },
  // The demo's functions are not the console's own, so whoever may update payments' function gets 409 (function-update.test.ts runs one).
  'POST /api/v1/function-updates': {
    request: () => ({ path: '/api/v1/function-updates', body: { functionArn, acknowledgeSharedFunction: true }, headers: { 'idempotency-key': randomUUID() } }),
    expected: TEAM_ACTION(409),
  },
  'GET /api/v1/vpcs': { request: () => ({ path: `/api/v1/vpcs?secretId=${id(SECRET)}` }), expected: TEAM_ACTION(200) },
  'GET /api/v1/vpcs/{vpcId}': { request: () => ({ path: `/api/v1/vpcs/${vpcId}?secretId=${id(SECRET)}` }), expected: TEAM_ACTION(200) },
  'POST /api/v1/schedule-previews': {
    request: () => ({ path: '/api/v1/schedule-previews', body: { schedule: { kind: 'days', days: 30 }, secretId: SECRET } }),
    expected: TEAM_ACTION(200),
  },
  'POST /api/v1/rotation-plans': {
    request: () => ({ path: '/api/v1/rotation-plans', body: rotationRequest('prod/payments/orders-db') }),
    expected: TEAM_ACTION(200),
  },
  // The preflight reads what the plan reads: whoever may plan for the secret.
  'POST /api/v1/rotation-plans/preflight': {
    request: () => ({ path: '/api/v1/rotation-plans/preflight', body: rotationRequest('prod/payments/orders-db') }),
    expected: TEAM_ACTION(200),
  },
  // Check rotation: the secret's rotation as configured (ledger-app rotates with payments' function).
  'POST /api/v1/secrets/{secretId}/preflight': {
    request: () => ({ path: `/api/v1/secrets/${id('prod/payments/ledger-app')}/preflight`, body: {} }),
    expected: TEAM_ACTION(200),
  },
  'POST /api/v1/workflows': {
    request: (who) => ({
      path: '/api/v1/workflows',
      body: rotationRequest(own(who, 'prod/payments/cards-db', 'prod/payments/ledger-master')),
      headers: { 'idempotency-key': randomUUID() },
    }),
    expected: TEAM_ACTION(202),
  },
  'GET /api/v1/workflows/{workflowId}': { request: () => ({ path: `/api/v1/workflows/${workflow.id}` }), expected: READ_OWN },
  // A batch is planned by any operator or admin; each secret is then the policy's: another team's secret is refused in the plan by name.
  'POST /api/v1/batches/preview': {
    request: () => ({ path: '/api/v1/batches/preview', body: batchRequest('prod/payments/reports-db') }),
    expected: { anonymous: 401, viewer: 403, owner: 200, 'other-team': 200, 'no-team': 200, admin: 200 },
  },
  // Started only when a secret can be part of it: to other operators payments' secret does not exist (404).
  'POST /api/v1/batches': {
    request: (who) => ({ path: '/api/v1/batches', body: batchRequest(own(who, 'prod/payments/reports-db', 'prod/identity/audit-db')) }),
    expected: TEAM_ACTION(202),
  },
  'GET /api/v1/batches': { request: () => ({ path: '/api/v1/batches' }), expected: SIGNED_IN },
  'GET /api/v1/batches/{batchId}': { request: () => ({ path: `/api/v1/batches/${batchId}` }), expected: READ_OWN },
  'GET /api/v1/dashboard/summary': { request: () => ({ path: '/api/v1/dashboard/summary' }), expected: SIGNED_IN },
  'GET /api/v1/dashboard/secrets': { request: () => ({ path: '/api/v1/dashboard/secrets' }), expected: SIGNED_IN },
  'GET /api/v1/dashboard/secrets.csv': { request: () => ({ path: '/api/v1/dashboard/secrets.csv' }), expected: SIGNED_IN },
  'GET /api/v1/dashboard/calendar': { request: () => ({ path: '/api/v1/dashboard/calendar' }), expected: SIGNED_IN },
  'GET /api/v1/portal': { request: () => ({ path: '/api/v1/portal' }), expected: SIGNED_IN },
  'POST /api/v1/secrets/{secretId}/operation-previews': {
    request: () => ({ path: `/api/v1/secrets/${id(SECRET)}/operation-previews`, body: { operation: 'turn-off' } }),
    expected: READ_OWN,
  },
  'POST /api/v1/secrets/{secretId}/operations': {
    request: (who) => ({
      path: `/api/v1/secrets/${id(own(who, 'prod/payments/ledger-app', 'prod/identity/users-db'))}/operations`,
      body: { operation: 'turn-off' },
      headers: { 'idempotency-key': randomUUID() },
    }),
    expected: TEAM_ACTION(202),
  },
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const document = (await (await t.call('anonymous', '/api/v1/openapi.json')).json()) as {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], unknown>>>;
};
const routes = Object.entries(document.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`));
const cells = routes.flatMap((route) => CALLERS.map((who) => ({ route, who })));

describe(`The authorization matrix: ${routes.length} routes x ${CALLERS.length} callers`, () => {
  it('When the OpenAPI document is read, then every route in it has a row, and every row is a route in it', () => {
    expect(
      routes.filter((r) => !ROWS[r]),
      'routes without a row',
    ).toEqual([]);
    expect(
      Object.keys(ROWS).filter((r) => !routes.includes(r)),
      'rows without a route',
    ).toEqual([]);
  });

  it.each(cells)("When $who calls $route, then the status is the policy's", async ({ route, who }) => {
    const row = ROWS[route];
    expect(row, `no row for ${route}`).toBeDefined();
    const { path, body, headers } = row!.request(who);
    const res = await t.call(who, path, { method: route.split(' ')[0]!, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
    const text = await res.text();

    expect(res.status, `${who} ${route}: ${text.slice(0, 300)}`).toBe(row!.expected[who]);
  });
});
