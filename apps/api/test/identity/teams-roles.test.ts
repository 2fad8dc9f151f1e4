import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, TagResourceCommand, UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startAwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscoveryGateway } from '../../src/modules/rotation/discovery.aws.ts';
import { createSecretRefReader } from '../../src/modules/rotation/secret-ref.ts';
import { createWorkflowAdmission } from '../../src/modules/workflows/workflow-admission.ts';
import type { Principal } from '../../src/platform/auth.ts';
import { assumedRoleCredentials } from '../../src/platform/aws-assume-role.ts';
import { roleSessionName } from '../../src/platform/team-role.ts';
import { loadTeams } from '../../src/platform/teams-config.ts';
import { WorkflowRunner } from '../../src/platform/workflow/runner.ts';
import { StepRegistry } from '../../src/platform/workflow/step-registry.ts';
import { aws, motoEndpoint, reset } from '../support/support.ts';
import { seedTeamSecrets, startTeamsConsole } from '../support/teams-support.ts';

// Per-team IAM roles (config/teams.json roleArn) and workflows that run as the person who
// started them, re-checked when they resume. AWS is moto behind the harness's proxy, which
// shows each call's access key and the AssumeRole parameters.
const PAYMENTS_ROLE = 'arn:aws:iam::123456789012:role/payments-rotation';

await reset();
const arns = await seedTeamSecrets();
await aws().iam.send(
  new CreateRoleCommand({
    RoleName: 'payments-rotation',
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: ['sts:AssumeRole'] }],
    }),
  }),
);
const teamsFile = path.join(mkdtempSync(path.join(tmpdir(), 'rc-teams-')), 'teams.json');
writeFileSync(teamsFile, JSON.stringify({ teams: { payments: { roleArn: PAYMENTS_ROLE }, identity: {} } }));

interface SeenCall {
  operation: string;
  accessKeyId: string;
  params: URLSearchParams;
}
const seen: SeenCall[] = [];
const proxy = await startAwsProxy({
  target: motoEndpoint(),
  intercept: async ({ headers, body }) => {
    const text = body.toString('utf8');
    const target = headers['x-amz-target'];
    const params = new URLSearchParams(typeof target === 'string' ? '' : text);
    const operation = typeof target === 'string' ? target.split('.').pop()! : (params.get('Action') ?? 'unknown');
    seen.push({ operation, accessKeyId: /Credential=([^/]+)\//.exec(String(headers.authorization))?.[1] ?? '', params });
    return undefined;
  },
});
const t = await startTeamsConsole({ AWS_ENDPOINT_URL: proxy.url, TEAMS_CONFIG: teamsFile });
const { api } = t.console;
const CONSOLE_KEY = process.env.AWS_ACCESS_KEY_ID!;
afterAll(async () => {
  await t.close();
  await proxy.close();
});
beforeEach(() => {
  seen.length = 0;
});

const assumeRoles = () => seen.filter((c) => c.operation === 'AssumeRole');

describe("A team's AWS calls under its IAM role", () => {
  it("When payments' operator opens a payments secret, then the reads after the policy's decision run under payments' role, with the caller's name as the session name", async () => {
    const res = await t.call('owner', `/api/v1/secrets/${encodeURIComponent('teams/payments/orders')}`);

    expect(res.status).toBe(200);
    expect(assumeRoles().map((c) => [c.params.get('RoleArn'), c.params.get('RoleSessionName'), c.accessKeyId])).toEqual([
      [PAYMENTS_ROLE, 'svc-payments', CONSOLE_KEY],
    ]);
    // The first DescribeSecret (whose tag names the team) is the console's; the rest are the role's.
    expect(seen.find((c) => c.operation === 'DescribeSecret')!.accessKeyId).toBe(CONSOLE_KEY);
    const versions = seen.find((c) => c.operation === 'ListSecretVersionIds')!;
    expect(versions.accessKeyId).not.toBe(CONSOLE_KEY);
    expect(versions.accessKeyId).toMatch(/^ASIA/);
  });

  it('When the same person asks again before the credentials expire, then no second AssumeRole is made', async () => {
    await t.call('owner', `/api/v1/secrets/${encodeURIComponent('teams/payments/ledger')}`);
    await t.call('owner', `/api/v1/secrets/${encodeURIComponent('teams/payments/orders')}/timeline`);

    expect(assumeRoles()).toEqual([]);
    expect(seen.filter((c) => c.operation === 'ListSecretVersionIds').every((c) => c.accessKeyId !== CONSOLE_KEY)).toBe(true);
  });

  it("When a team without a role is read, then every call uses the console's own credentials", async () => {
    const res = await t.call('other-team', `/api/v1/secrets/${encodeURIComponent('teams/identity/users')}/check`);

    expect(res.status).toBe(200);
    expect(assumeRoles()).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((c) => c.accessKeyId === CONSOLE_KEY)).toBe(true);
  });

  it('When the credentials come near their expiry, then they are asked for again; until then, concurrent callers share one AssumeRole', async () => {
    let clock = Date.now();
    const credentials = assumedRoleCredentials(
      { roleArn: PAYMENTS_ROLE, sessionName: 'Pat.Payments' },
      () => api.aws.forRegionAsConsole().sts,
      () => clock,
    );

    const [a, b] = await Promise.all([credentials(), credentials()]);
    const again = await credentials();
    clock = a.expiration!.getTime() - 4 * 60_000; // within the last 5 minutes
    const renewed = await credentials();

    expect(b.accessKeyId).toBe(a.accessKeyId);
    expect(again.accessKeyId).toBe(a.accessKeyId);
    expect(renewed.accessKeyId).not.toBe(a.accessKeyId);
    expect(assumeRoles()).toHaveLength(2);
  });

  it('When names carry spaces, accents or characters AWS refuses, then the session name keeps to [\\w+=,.@-] and 64 characters', () => {
    expect(roleSessionName({ id: 'pat', name: 'Pat Payments' })).toBe('Pat.Payments');
    expect(roleSessionName({ id: 'x', name: 'Zoë Ölund (SRE) <zoe@example.com>' })).toBe('Zoe.Olund.-SRE-.-zoe@example.com-');
    expect(roleSessionName({ id: 'x', name: 'a'.repeat(100) })).toHaveLength(64);
    expect(roleSessionName({ id: 'x', name: 'é' })).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});

describe('A workflow runs as the person who started it, checked again when it resumes', () => {
  const pat: Principal = { id: 'pat', name: 'Pat Payments', roles: ['operator'], teams: ['payments'] };
  // "Another process": a second runner on the same database, with the app's admission rules.
  const resumer = new WorkflowRunner({
    db: api.database.db,
    logger: api.logs.logger,
    owner: 'the-other-process',
    registry: new StepRegistry({
      // A step that says who it runs as, then changes the secret (a call that must not happen when refused).
      async whoami(ctx) {
        const me = await api.aws.forRegion().sts.send(new GetCallerIdentityCommand({}));
        await api.aws
          .forRegion()
          .secretsManager.send(new UpdateSecretCommand({ SecretId: ctx.workflow.subject, Description: `touched by ${ctx.workflow.id}` }));
        return { output: { arn: me.Arn ?? null } };
      },
    }),
    admit: createWorkflowAdmission({
      secretRef: createSecretRefReader(createDiscoveryGateway(api.aws), 'team'),
      teams: loadTeams(teamsFile),
      // These workflows enable no rotation, so no resource of a plan is checked again.
      plans: { recheck: () => Promise.reject(new Error('not a rotation workflow')) },
      functionOwners: () => Promise.reject(new Error('not a function update')),
    }),
  });
  afterAll(() => resumer.stop({ graceMs: 1000 }));

  const accepted = async (secret: string, by: Principal = pat) =>
    (
      await api.store.create({
        kind: 'turn-off',
        subject: arns[secret]!,
        input: {},
        plan: { steps: [{ id: 'whoami', kind: 'whoami', dependsOn: [] }] },
        createdBy: by,
      })
    ).workflow;

  it("When another process resumes a payments workflow, then its steps run under payments' role in the starter's name", async () => {
    const workflow = await accepted('teams/payments/orders');

    const result = await resumer.run(workflow.id);
    const done = (await api.store.get(workflow.id))!;

    expect(result).toMatchObject({ result: 'finished', status: 'succeeded' });
    expect(done.steps[0]!.output).toEqual({ arn: 'arn:aws:sts::123456789012:assumed-role/payments-rotation/Pat.Payments' });
    expect(assumeRoles().map((c) => c.params.get('RoleSessionName'))).toEqual(['Pat.Payments']);
  });

  it('When the secret moved to another team between start and resume, then the workflow ends failed "no longer allowed", with an audit record, and nothing is changed in AWS', async () => {
    const workflow = await accepted('teams/payments/ledger');
    await aws().secretsManager.send(new TagResourceCommand({ SecretId: arns['teams/payments/ledger']!, Tags: [{ Key: 'team', Value: 'identity' }] }));
    seen.length = 0;

    const resumed = await resumer.resumeUnfinished();
    await resumer.idle();
    const done = (await api.store.get(workflow.id))!;
    const audit = await api.store.listAudit({ subject: workflow.subject });
    const after = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: workflow.subject }));

    expect(resumed).toContain(workflow.id);
    expect(done.status).toBe('failed');
    expect(done.error).toBe(
      'no longer allowed: Pat Payments may not secrets:turn-off on teams/payments/ledger: it belongs to team "identity", not to one of yours',
    );
    expect(done.steps.map((s) => s.status)).toEqual(['skipped']);
    expect(audit.items.map((a) => [a.action, a.outcome, a.actor.id])).toContainEqual(['turn-off.denied', 'denied', 'pat']);
    expect(seen.map((c) => c.operation)).toEqual(['DescribeSecret']);
    expect(after.Description ?? '').not.toContain(workflow.id);
  });

  it('When the secret was deleted before the workflow resumed, then it ends failed saying so, and nothing is asked of AWS but where the secret is', async () => {
    const { ARN } = await aws().secretsManager.send(
      new CreateSecretCommand({ Name: 'teams/payments/short-lived', SecretString: '{}', Tags: [{ Key: 'team', Value: 'payments' }] }),
    );
    const { workflow } = await api.store.create({
      kind: 'turn-off',
      subject: ARN!,
      input: {},
      plan: { steps: [{ id: 'whoami', kind: 'whoami', dependsOn: [] }] },
      createdBy: pat,
    });
    await aws().secretsManager.send(new DeleteSecretCommand({ SecretId: ARN!, ForceDeleteWithoutRecovery: true }));
    seen.length = 0;

    await resumer.run(workflow.id);
    const done = (await api.store.get(workflow.id))!;

    expect(done.status).toBe('failed');
    expect(done.error).toBe(`no longer allowed: the secret ${ARN} no longer exists`);
    expect(seen.map((c) => c.operation)).toEqual(['DescribeSecret']);
  });

  it("When the starter may still act, then an admin's workflow on an untagged secret runs with the console's own credentials", async () => {
    const workflow = await accepted('teams/legacy/untagged', { id: 'alice', name: 'Alice Admin', roles: ['admin'], teams: [] });

    const result = await resumer.run(workflow.id);

    expect(result).toMatchObject({ result: 'finished', status: 'succeeded' });
    expect(assumeRoles()).toEqual([]);
    expect((await api.store.get(workflow.id))!.steps[0]!.output).toEqual({ arn: expect.not.stringContaining('assumed-role') });
  });
  it('When the secret moves to another team after the first step, then the workflow stops before the next step, failed "no longer allowed" with the reason, and that step changes nothing', async () => {
    const { ARN } = await aws().secretsManager.send(
      new CreateSecretCommand({ Name: 'teams/payments/moving', SecretString: '{}', Tags: [{ Key: 'team', Value: 'payments' }] }),
    );
    // Two mutating steps; between them, someone else gives the secret to team identity.
    const midway = new WorkflowRunner({
      db: api.database.db,
      logger: api.logs.logger,
      owner: 'midway',
      registry: new StepRegistry({
        async first() {
          await aws().secretsManager.send(new TagResourceCommand({ SecretId: ARN!, Tags: [{ Key: 'team', Value: 'identity' }] }));
          return { output: { moved: true } };
        },
        async second(ctx) {
          await api.aws
            .forRegion()
            .secretsManager.send(new UpdateSecretCommand({ SecretId: ctx.workflow.subject, Description: `touched by ${ctx.workflow.id}` }));
          return { output: { touched: true } };
        },
      }),
      admit: createWorkflowAdmission({
        secretRef: createSecretRefReader(createDiscoveryGateway(api.aws), 'team'),
        teams: loadTeams(teamsFile),
        plans: { recheck: () => Promise.reject(new Error('not a rotation workflow')) },
        functionOwners: () => Promise.reject(new Error('not a function update')),
      }),
    });
    const { workflow } = await api.store.create({
      kind: 'turn-off',
      subject: ARN!,
      input: {},
      plan: {
        steps: [
          { id: 'first', kind: 'first', dependsOn: [] },
          { id: 'second', kind: 'second', dependsOn: ['first'] },
        ],
      },
      createdBy: pat,
    });

    const result = await midway.run(workflow.id);
    await midway.stop({ graceMs: 1000 });
    const done = (await api.store.get(workflow.id))!;
    const after = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: ARN! }));
    const audit = await api.store.listAudit({ subject: ARN! });

    expect(result).toMatchObject({ result: 'finished', status: 'failed' });
    expect(done.error).toBe(
      'no longer allowed: Pat Payments may not secrets:turn-off on teams/payments/moving: it belongs to team "identity", not to one of yours',
    );
    expect(done.steps.map((s) => [s.id, s.status])).toEqual([
      ['first', 'succeeded'],
      ['second', 'skipped'],
    ]);
    expect(after.Description ?? '').not.toContain(workflow.id);
    expect(audit.items.map((a) => [a.action, a.outcome])).toContainEqual(['turn-off.denied', 'denied']);
  });
});
