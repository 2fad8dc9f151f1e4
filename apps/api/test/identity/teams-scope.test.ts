import type { DashboardPage, DashboardSummary, SecretPage } from '@rotation-console/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reset } from '../support/support.ts';
import { seedTeamSecrets, startTeamsConsole, TEAM_SECRETS, type Who } from '../support/teams-support.ts';

// The team scope on the server, over HTTP with real tokens (AUTH_MODE=oidc, the demo provider)
// against moto: secrets of payments, of payments-eu (a name that starts like it: AWS's tag
// filters match prefixes), of identity, and one without a team tag.
await reset();
const arns = await seedTeamSecrets();
const t = await startTeamsConsole();
const { call } = t;
afterAll(() => t.close());

const ALL = TEAM_SECRETS.map((s) => s.name);
const SEES: Record<Who, string[]> = {
  viewer: ALL,
  admin: ALL,
  owner: ['teams/payments/ledger', 'teams/payments/orders'],
  'other-team': ['teams/identity/users'],
  'no-team': [],
};
const PEOPLE = Object.keys(SEES) as Who[];
const sorted = (names: string[]) => [...names].sort();
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

const crawl = async () => {
  const { api } = t.console;
  await api.dashboard.crawler.crawlOnce();
};

/** Every page of the Secrets list of `teams/` as `who` sees it, one secret a page, and where the pages came from. */
const listedBy = async (who: Who) => {
  const names: string[] = [];
  const sources = new Set<string>();
  let cursor: string | null = null;
  do {
    const res = await call(who, `/api/v1/secrets?name=teams/&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as SecretPage;
    names.push(...page.items.map((s) => s.name));
    sources.add(page.freshness.source);
    cursor = page.nextCursor;
  } while (cursor);
  return { names, sources: [...sources] };
};

describe('The secrets list and a secret, by team', () => {
  it.each(PEOPLE)("When %s lists the secrets page by page before the first crawl, then exactly its teams' secrets come back, on every page", async (who) => {
    const { names, sources } = await listedBy(who);

    expect(sorted(names)).toEqual(sorted(SEES[who]));
    expect(sources).toEqual(['aws']);
  });

  it('When an operator asks for another team by name, then the list is empty', async () => {
    const res = await call('other-team', '/api/v1/secrets?team=payments');
    expect(((await res.json()) as SecretPage).items).toEqual([]);
  });

  it('When an operator of payments asks for payments, then payments-eu (a prefix match in AWS) is not in it', async () => {
    const res = await call('owner', '/api/v1/secrets?team=payments');
    const names = ((await res.json()) as SecretPage).items.map((s) => s.name);
    expect(names).toContain('teams/payments/orders');
    expect(names).not.toContain('teams/payments-eu/orders');
  });

  it("When an operator opens another team's secret, by name or ARN, then it looks exactly like a secret that does not exist", async () => {
    const missing = await call('owner', `/api/v1/secrets/${encodeURIComponent('teams/identity/nope')}`);
    const byName = await call('owner', `/api/v1/secrets/${encodeURIComponent('teams/identity/users')}`);
    const byArn = await call('owner', `/api/v1/secrets/${encodeURIComponent(arns['teams/identity/users']!)}`);

    expect(missing.status).toBe(404);
    expect(byName.status).toBe(404);
    expect(byArn.status).toBe(404);
    expect((await errorOf(byName)).message).toBe((await errorOf(missing)).message.replace('teams/identity/nope', 'teams/identity/users'));
    expect((await errorOf(byArn)).code).toBe('not_found');
  });

  it("When an operator opens another team's secret, then the audit log records the refusal; asking for a secret that does not exist is not one", async () => {
    const refusals = (path: string) =>
      t.console.api.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'access.denied').where('subject', '=', `GET ${path}`).execute();
    const hidden = `/api/v1/secrets/${encodeURIComponent('teams/identity/users')}/timeline`;
    const missing = `/api/v1/secrets/${encodeURIComponent('teams/payments/nope')}/timeline`;

    expect((await call('owner', missing)).status).toBe(404);
    expect((await call('owner', hidden)).status).toBe(404);

    // Each record is written as its response leaves: once the later one is in, the earlier one would be too.
    const [refusal] = await vi.waitFor(async () => {
      const rows = await refusals(hidden);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(refusal).toMatchObject({ actor_id: 'svc-payments', outcome: 'denied' });
    expect(JSON.parse(String(refusal!.after))).toMatchObject({ status: 404, code: 'not_found', reason: "outside the caller's teams: answered as not found" });
    expect(await refusals(missing)).toEqual([]);
  });

  it('When an operator opens an untagged secret, then it is not found; a viewer sees it', async () => {
    expect((await call('owner', `/api/v1/secrets/${encodeURIComponent('teams/legacy/untagged')}`)).status).toBe(404);
    expect((await call('viewer', `/api/v1/secrets/${encodeURIComponent('teams/legacy/untagged')}`)).status).toBe(200);
  });

  it('When a viewer asks to turn off rotation of a secret it can read, then 403 says why', async () => {
    const res = await call('viewer', `/api/v1/secrets/${encodeURIComponent('teams/payments/orders')}/operations`, { body: { operation: 'turn-off' } });
    const error = await errorOf(res);

    expect(res.status).toBe(403);
    expect(error.message).toMatch(/not allowed to secrets:turn-off on teams\/payments\/orders: your role may only read/);
  });

  it.each<[string, (id: string) => { path: string; body?: unknown }]>([
    ['the check', (id: string) => ({ path: `/api/v1/secrets/${id}/check` })],
    ['the network', (id: string) => ({ path: `/api/v1/secrets/${id}/network` })],
    ['the master secret candidates', (id: string) => ({ path: `/api/v1/secrets/${id}/master-secret-candidates` })],
    ['the timeline', (id: string) => ({ path: `/api/v1/secrets/${id}/timeline` })],
    ['an operation preview', (id: string) => ({ path: `/api/v1/secrets/${id}/operation-previews`, body: { operation: 'rotate-now' } })],
    ['an operation', (id: string) => ({ path: `/api/v1/secrets/${id}/operations`, body: { operation: 'rotate-now' } })],
  ])("When an operator asks for %s of another team's secret, then 404 as for a missing one", async (_what, route) => {
    const { path, body } = route(encodeURIComponent('teams/identity/users'));
    const res = await call('owner', path, body === undefined ? {} : { body });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toBe('Secret "teams/identity/users" was not found.');
  });

  it("When an operator plans with another team's secret as the master secret, then that secret is not found", async () => {
    const res = await call('owner', '/api/v1/rotation-plans', {
      body: {
        secretId: 'teams/payments/orders',
        schedule: { kind: 'days', days: 30 },
        function: {
          mode: 'existing',
          functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotate',
          strategy: 'alternating-users',
          masterSecretId: 'teams/identity/users',
        },
        network: null,
      },
    });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toBe('Secret "teams/identity/users" was not found.');
  });
});

describe('Workflows, by the team of their secret', () => {
  it("When a workflow acts on an identity secret, then identity's operator, viewers and admins see it, and for payments' operator it does not exist", async () => {
    const { workflow } = await t.console.api.store.create({
      kind: 'turn-off',
      subject: arns['teams/identity/users']!,
      input: {},
      plan: { steps: [{ id: 'noop', kind: 'noop', dependsOn: [] }] },
      createdBy: { id: 'svc-identity', name: 'svc-identity', roles: ['operator'], teams: ['identity'] },
    });
    const statuses = Object.fromEntries(await Promise.all(PEOPLE.map(async (who) => [who, (await call(who, `/api/v1/workflows/${workflow.id}`)).status])));
    const missing = await call('owner', '/api/v1/workflows/00000000-0000-4000-8000-000000000000');

    expect(statuses).toEqual({ viewer: 200, admin: 200, 'other-team': 200, owner: 404, 'no-team': 404 });
    expect((await errorOf(await call('owner', `/api/v1/workflows/${workflow.id}`))).message).toBe(`Workflow "${workflow.id}" was not found.`);
    expect(missing.status).toBe(404);
  });
});

describe('The dashboard, by team', () => {
  const check = async (source: 'aws' | 'index') => {
    for (const who of PEOPLE) {
      const summary = (await (await call(who, '/api/v1/dashboard/summary')).json()) as DashboardSummary;
      const list = (await (await call(who, '/api/v1/dashboard/secrets?limit=100')).json()) as DashboardPage;
      const csv = await (await call(who, '/api/v1/dashboard/secrets.csv')).text();
      const calendar = await (await call(who, '/api/v1/dashboard/calendar')).json();

      const names = list.items.map((r) => r.name);
      expect(list.freshness.source, who).toBe(source);
      expect(sorted(names), who).toEqual(sorted(SEES[who]));
      // The counts are of what the caller sees, and agree with the list.
      expect(summary.total, who).toBe(SEES[who].length);
      expect(list.total, who).toBe(SEES[who].length);
      expect(
        summary.byTeam.reduce((n, g) => n + g.total, 0),
        who,
      ).toBe(SEES[who].length);
      for (const name of ALL) expect(csv.includes(name), `${who} ${name} in CSV`).toBe(SEES[who].includes(name));
      expect(csv.trim().split('\n').length - 1, who).toBe(SEES[who].length);
      if (source === 'index') expect(summary.freshness.secretsIndexed, `${who}: the index's count is of what it sees`).toBe(SEES[who].length);
      expect(
        (calendar as { windows: { name: string }[] }).windows.every((w) => SEES[who].includes(w.name)),
        who,
      ).toBe(true);
    }
  };

  it("When the index is still empty (answers from AWS's first page), then each caller counts, lists and exports only its teams' secrets", async () => {
    await check('aws');
  });

  it('When the index is built, then the counts, the list, the export and the calendar leave the other teams out, in SQL', async () => {
    await crawl();
    await check('index');
  });

  it('When an operator filters the dashboard by another team, then nothing comes back', async () => {
    const list = (await (await call('owner', '/api/v1/dashboard/secrets?team=identity')).json()) as DashboardPage;
    expect(list.items).toEqual([]);
    expect(list.total).toBe(0);
  });
});

describe('The secrets list from the index, and its Refresh, by team', () => {
  beforeAll(crawl);

  it.each(PEOPLE)("When %s lists the secrets page by page from the index, then exactly its teams' secrets come back, on every page", async (who) => {
    const { names, sources } = await listedBy(who);

    expect(sorted(names)).toEqual(sorted(SEES[who]));
    expect(sources).toEqual(['index']);
  });

  it.each(PEOPLE)("When %s refreshes the list, then the answer holds exactly its teams' secrets", async (who) => {
    const res = await call(who, '/api/v1/secret-refreshes', { body: { name: 'teams/', limit: 100 } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as SecretPage;

    expect(sorted(page.items.map((s) => s.name))).toEqual(sorted(SEES[who]));
    // The index's count is of what the caller sees.
    expect(page.freshness.secretsIndexed).toBe(SEES[who].length);
  });

  it('When an operator refreshes another team by name, then nothing comes back', async () => {
    const res = await call('other-team', '/api/v1/secret-refreshes', { body: { team: 'payments' } });
    expect(((await res.json()) as SecretPage).items).toEqual([]);
  });
});
