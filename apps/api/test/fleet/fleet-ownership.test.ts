// Ownership per account (issue 14 item 5): a team may own whole accounts (the teams file's
// `accounts`); their untagged secrets are the team's, and a team tag still says whose a secret is.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Portal, SecretPage } from '@rotation-console/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTeams, TeamsConfigError } from '../../src/platform/teams-config.ts';
import { motoEndpoint, reset } from '../support/support.ts';
import { startTeamsConsole, type Who } from '../support/teams-support.ts';
import { accountsFile, createSecretIn, HOME_ACCOUNT, PAYMENTS_ACCOUNT, readerRole } from './fleet-support.ts';

const teamsFile = (config: unknown) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rc-teams-')), 'teams.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
};

describe('Teams that own whole accounts', () => {
  let t: Awaited<ReturnType<typeof startTeamsConsole>>;
  const arns: Record<string, string> = {};

  beforeAll(async () => {
    await reset();
    const moto = motoEndpoint();
    arns.untagged = await createSecretIn(moto, PAYMENTS_ACCOUNT, 'us-east-1', 'own/member-untagged');
    arns.identity = await createSecretIn(moto, PAYMENTS_ACCOUNT, 'us-east-1', 'own/member-identity', { team: 'identity' });
    arns.home = await createSecretIn(moto, HOME_ACCOUNT, 'us-east-1', 'own/home-untagged');
    t = await startTeamsConsole({
      TEAMS_CONFIG: teamsFile({ teams: { payments: { accounts: [PAYMENTS_ACCOUNT] }, identity: {} } }),
      ACCOUNTS_CONFIG: accountsFile({
        accounts: [
          { id: HOME_ACCOUNT, name: 'console', regions: ['us-east-1'] },
          { id: PAYMENTS_ACCOUNT, name: 'payments-prod', roleArn: readerRole(PAYMENTS_ACCOUNT), regions: ['us-east-1'] },
        ],
      }),
    });
    await t.console.api.dashboard.crawler.crawlOnce();
  });
  afterAll(async () => {
    await t?.close();
  });

  const listed = async (who: Who) => {
    const res = await t.call(who, '/api/v1/secrets?name=own/');
    expect(res.status).toBe(200);
    return SecretPage.parse(await res.json()).items.map((s) => [s.name, s.team]);
  };

  it("When the payments team owns the member account, then its untagged secrets are payments' in the list and on their page, a tagged one stays its tag's team's, and the home account's untagged one is nobody's", async () => {
    // Act
    const payments = await listed('owner');
    const identity = await listed('other-team');
    const admin = await listed('admin');
    const page = await t.call('owner', `/api/v1/secrets/${encodeURIComponent(arns.untagged!)}`);
    const refused = await t.call('other-team', `/api/v1/secrets/${encodeURIComponent(arns.untagged!)}`);

    // Assert
    expect(payments).toEqual([['own/member-untagged', 'payments']]);
    expect(identity).toEqual([['own/member-identity', 'identity']]);
    expect(admin).toEqual([
      ['own/home-untagged', null],
      ['own/member-identity', 'identity'],
      ['own/member-untagged', 'payments'],
    ]);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { team: string }).team).toBe('payments');
    expect(refused.status).toBe(404);
  });

  it("When the portal is filtered by account, then the team's figures and secrets are that account's, and it says where the team's secrets live", async () => {
    // Act
    const all = Portal.parse(await (await t.call('owner', '/api/v1/portal')).json());
    const inHome = Portal.parse(await (await t.call('owner', `/api/v1/portal?account=${HOME_ACCOUNT}`)).json());
    const inMember = Portal.parse(await (await t.call('owner', `/api/v1/portal?account=${PAYMENTS_ACCOUNT}&region=us-east-1`)).json());

    // Assert
    const payments = (p: Portal) => p.teams.find((team) => team.team === 'payments')!;
    expect(payments(all).byTarget).toEqual([{ accountId: PAYMENTS_ACCOUNT, region: 'us-east-1', total: 1, needsAttention: 1 }]);
    expect(payments(inMember).secrets.map((r) => r.name)).toEqual(['own/member-untagged']);
    expect(payments(inHome).counts.total).toBe(0);
    expect(payments(inHome).byTarget).toEqual([]);
  });

  it('When two teams claim one account, then the teams file is refused naming the account', () => {
    const file = teamsFile({ teams: { payments: { accounts: [PAYMENTS_ACCOUNT] }, identity: { accounts: [PAYMENTS_ACCOUNT] } } });
    expect(() => loadTeams(file)).toThrow(TeamsConfigError);
    expect(() => loadTeams(file)).toThrow(`teams.identity.accounts: account ${PAYMENTS_ACCOUNT} is already payments's`);
  });
});
