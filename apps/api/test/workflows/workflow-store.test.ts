import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/platform/auth.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrations.ts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/platform/db/test-database.ts';
import { ConflictError, InputError } from '../../src/platform/errors.ts';
import { WorkflowStore, type NewWorkflow } from '../../src/platform/workflow/workflow-store.ts';

const ada: Principal = { id: 'ada', name: 'Ada Lovelace', roles: ['operator'], teams: ['payments'] };
const bob: Principal = { id: 'bob', name: 'Bob', roles: ['operator'], teams: ['payments'] };

const newWorkflow = (overrides: Partial<NewWorkflow> = {}): NewWorkflow => ({
  kind: 'enable-rotation',
  subject: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
  input: { scheduleExpression: 'rate(30 days)' },
  plan: {
    steps: [
      { id: 'fn', kind: 'create-function', title: 'Create the rotation function', dependsOn: [], input: { template: 'pg-single' } },
      { id: 'perm', kind: 'add-permission', dependsOn: ['fn'] },
      { id: 'rotate', kind: 'rotate-secret', dependsOn: ['fn', 'perm'] },
    ],
  },
  createdBy: ada,
  ...overrides,
});

describe.each(TEST_DIALECTS)('Workflow store on %s', (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  let store: WorkflowStore;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = testDb.open();
    await migrateToLatest(handle.db);
    store = new WorkflowStore(handle.db);
  });
  afterAll(async () => {
    await handle?.destroy();
    await testDb?.drop();
  });

  it('When a workflow is created, then it is pending with its plan, principal and one token per step', async () => {
    // Act
    const { workflow, created } = await store.create(newWorkflow());

    // Assert
    expect(created).toBe(true);
    expect(workflow).toMatchObject({ status: 'pending', kind: 'enable-rotation', createdBy: ada, input: { scheduleExpression: 'rate(30 days)' } });
    expect(workflow.steps.map((s) => [s.id, s.status, s.dependsOn, s.attempts])).toEqual([
      ['fn', 'pending', [], 0],
      ['perm', 'pending', ['fn'], 0],
      ['rotate', 'pending', ['fn', 'perm'], 0],
    ]);
    expect(workflow.steps[0]).toMatchObject({ title: 'Create the rotation function', input: { template: 'pg-single' } });
    expect(workflow.steps[1]).toMatchObject({ title: 'add-permission', input: null });
    const tokens = workflow.steps.map((s) => s.idempotencyToken);
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(workflow.plan).toEqual(newWorkflow().plan);
  });

  it('When the same idempotency key is sent twice, then the same workflow comes back and one set of steps exists', async () => {
    // Arrange
    const spec = newWorkflow({ idempotencyKey: `key-${dialect}-sequential`, audit: { action: 'rotation.enable', sourceIp: '127.0.0.1' } });
    const first = await store.create(spec);

    // Act
    const second = await store.create(spec);

    // Assert
    expect(second.created).toBe(false);
    expect(second.workflow.id).toBe(first.workflow.id);
    expect(second.workflow.steps.map((s) => s.idempotencyToken)).toEqual(first.workflow.steps.map((s) => s.idempotencyToken));
    const steps = await handle.db.selectFrom('workflow_steps').select('step_id').where('workflow_id', '=', first.workflow.id).execute();
    expect(steps).toHaveLength(3);
    const audit = await store.listAudit({ workflowId: first.workflow.id });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ action: 'rotation.enable', actor: { id: 'ada', name: 'Ada Lovelace' }, sourceIp: '127.0.0.1', outcome: 'accepted' });
  });

  it('When requests with the same idempotency key race, then exactly one workflow is created', async () => {
    // Arrange
    const spec = newWorkflow({ idempotencyKey: `key-${dialect}-race` });

    // Act
    const results = await Promise.all(Array.from({ length: 5 }, () => store.create(spec)));

    // Assert
    expect(new Set(results.map((r) => r.workflow.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await handle.db
      .selectFrom('workflows')
      .select('id')
      .where('idempotency_key', '=', spec.idempotencyKey ?? '')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('When two processes start changes of one secret at the same instant under different keys, then exactly one is stored and the others are refused', async () => {
    // Arrange: on PostgreSQL a second pool stands for a second API process; SQLite serves one process.
    const other = dialect === 'postgres' ? testDb.open() : null;
    const secondStore = other ? new WorkflowStore(other.db) : store;
    const subject = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${dialect}-exclusive-AbCdEf`;
    const spec = (key: string): NewWorkflow => newWorkflow({ subject, idempotencyKey: key, exclusive: (w) => `already running (${w.id})` });

    try {
      // Act
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => (i % 2 ? secondStore : store).create(spec(`${dialect}-exclusive-${i}`))));

      // Assert
      const created = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      expect(created).toHaveLength(1);
      expect(refused).toHaveLength(5);
      const winner = (created[0] as PromiseFulfilledResult<{ workflow: { id: string } }>).value.workflow.id;
      for (const r of refused) {
        expect(r.reason).toBeInstanceOf(ConflictError);
        expect((r.reason as Error).message).toBe(`already running (${winner})`);
      }
      const rows = await handle.db.selectFrom('workflows').select('id').where('subject', '=', subject).execute();
      expect(rows).toHaveLength(1);
      // A retry of the winning request under its own key is the same request, not a second change.
      const winningKey = results.findIndex((r) => r.status === 'fulfilled');
      const retry = await store.create(spec(`${dialect}-exclusive-${winningKey}`));
      expect(retry).toMatchObject({ created: false, workflow: { id: winner } });
    } finally {
      await other?.destroy();
    }
  });

  it('When an idempotency key is reused for another secret or by another person, then it is refused', async () => {
    // Arrange
    const key = `key-${dialect}-reused`;
    await store.create(newWorkflow({ idempotencyKey: key }));

    // Act
    // Both settle before either is asserted: a rejection nobody awaits yet is an unhandled one.
    const [otherSubject, otherPerson] = await Promise.allSettled([
      store.create(newWorkflow({ idempotencyKey: key, subject: 'arn:other' })),
      store.create(newWorkflow({ idempotencyKey: key, createdBy: bob })),
    ]);

    // Assert
    expect(otherSubject).toMatchObject({ status: 'rejected', reason: expect.any(ConflictError) });
    expect(otherPerson).toMatchObject({ status: 'rejected', reason: expect.any(ConflictError) });
  });

  it('When a plan has a cycle or an unknown dependency, then it is refused and nothing is stored', async () => {
    // Arrange
    const subject = `arn:bad-plan:${dialect}`;
    const cycle = newWorkflow({
      subject,
      plan: {
        steps: [
          { id: 'a', kind: 'k', dependsOn: ['b'] },
          { id: 'b', kind: 'k', dependsOn: ['a'] },
        ],
      },
    });
    const unknown = newWorkflow({ subject, plan: { steps: [{ id: 'a', kind: 'k', dependsOn: ['nope'] }] } });
    const duplicate = newWorkflow({
      subject,
      plan: {
        steps: [
          { id: 'a', kind: 'k', dependsOn: [] },
          { id: 'a', kind: 'k', dependsOn: [] },
        ],
      },
    });

    // Act
    const results = await Promise.allSettled([store.create(cycle), store.create(unknown), store.create(duplicate)]);

    // Assert
    for (const result of results) {
      expect(result.status).toBe('rejected');
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(InputError);
    }
    expect((await store.list({ subject })).items).toEqual([]);
  });

  it('When workflows are listed, then they come newest first, filtered, a page at a time', async () => {
    // Arrange
    const subject = `arn:list:${dialect}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await store.create(newWorkflow({ subject }))).workflow.id);

    // Act
    const first = await store.list({ subject, limit: 2 });
    const second = await store.list({ subject, limit: 2, cursor: first.nextCursor });
    const third = await store.list({ subject, limit: 2, cursor: second.nextCursor });
    const failedOnly = await store.list({ subject, status: ['failed'] });

    // Assert
    const listed = [...first.items, ...second.items, ...third.items].map((w) => w.id);
    expect(new Set(listed)).toEqual(new Set(ids));
    expect(listed).toHaveLength(5);
    const created = [...first.items, ...second.items, ...third.items].map((w) => w.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    expect(third.nextCursor).toBeNull();
    expect(failedOnly.items).toEqual([]);
    await expect(store.list({ cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InputError);
  });

  it('When an audit record is appended, then it is read back with its before and after', async () => {
    // Arrange
    const subject = `arn:audit:${dialect}`;

    // Act
    const appended = await store.appendAudit({
      actor: ada,
      action: 'rotation.disable',
      subject,
      sourceIp: '10.0.0.1',
      before: { rotationEnabled: true },
      after: { rotationEnabled: false },
      outcome: 'succeeded',
    });
    const page = await store.listAudit({ subject });

    // Assert
    expect(page.items).toEqual([appended]);
    expect(appended).toMatchObject({ workflowId: null, before: { rotationEnabled: true }, after: { rotationEnabled: false }, count: 1 });
  });

  it("When one event is counted three times under one key, then it is one record with a count of 3 and the first one's details; another key is another record", async () => {
    // Arrange
    const subject = `GET /counted/${dialect}`;
    const entry = (n: number) => ({
      actor: { id: 'anonymous', name: 'Anonymous' },
      action: 'access.unauthenticated',
      subject,
      sourceIp: '10.0.0.9',
      after: { n },
      outcome: 'denied',
    });

    // Act
    for (const n of [1, 2, 3]) await store.countAudit(`k1:${dialect}`, entry(n));
    await store.countAudit(`k2:${dialect}`, entry(4));
    const page = await store.listAudit({ subject });

    // Assert
    expect(page.items.map((i) => [i.id, i.count, i.after])).toEqual(
      expect.arrayContaining([
        [`k1:${dialect}`, 3, { n: 1 }],
        [`k2:${dialect}`, 1, { n: 4 }],
      ]),
    );
    expect(page.items).toHaveLength(2);
  });

  it('When a subject is longer than 512 characters, then the record keeps its first 512', async () => {
    const subject = `GET /${'x'.repeat(16_000)}`;

    const appended = await store.appendAudit({ actor: ada, action: 'access.denied', subject, outcome: 'denied' });

    expect(appended.subject).toBe(subject.slice(0, 512));
  });
});
