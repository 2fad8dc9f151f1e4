import { fileURLToPath } from 'node:url';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { startDemoProvider, type DemoAccounts } from '@rotation-console/harness/oidc/provider.ts';
import { demo, serviceToken, startConsole } from './identity-support.ts';
import { aws } from './support.ts';

/** The demo teams file `pnpm start` uses: payments at most 90 days between rotations, identity 30, analytics 180. */
export const DEMO_TEAMS_CONFIG = fileURLToPath(new URL('../../../../config/teams.json', import.meta.url));

/**
 * The teams tests' people: the demo provider's service accounts, plus an admin and an operator
 * of no team that exist only here (the demo file has no such service accounts). Each gets a
 * real client-credentials token from the provider, checked by the API against its JWKS.
 */
export type Who = 'viewer' | 'owner' | 'other-team' | 'no-team' | 'admin';

export const TEST_ACCOUNTS: DemoAccounts = {
  ...demo,
  serviceAccounts: [
    ...demo.serviceAccounts,
    { clientId: 'svc-test-admin', clientSecret: 'svc-test-admin-secret', groups: ['rotation-admins'] },
    { clientId: 'svc-test-no-team', clientSecret: 'svc-test-no-team-secret', groups: ['rotation-operators'] },
  ],
};

/** Who is who: the owning team of the tests' secrets is payments. */
const CLIENTS: Record<Who, string> = {
  viewer: 'svc-viewer',
  owner: 'svc-payments',
  'other-team': 'svc-identity',
  'no-team': 'svc-test-no-team',
  admin: 'svc-test-admin',
};

/** The provider, the console (AUTH_MODE=oidc) and a bearer token per person. */
export const startTeamsConsole = async (env: Record<string, string> = {}) => {
  const provider = await startDemoProvider({ port: 0, accounts: TEST_ACCOUNTS });
  const consoleApp = await startConsole(provider.issuer, env);
  const tokens = Object.fromEntries(
    await Promise.all(
      (Object.keys(CLIENTS) as Who[]).map(async (who) => [who, await serviceToken(provider.issuer, CLIENTS[who], demo.audience, TEST_ACCOUNTS)] as const),
    ),
  ) as Record<Who, string>;
  const call = (who: Who | 'anonymous', path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${consoleApp.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(who === 'anonymous' ? {} : { authorization: `Bearer ${tokens[who]}` }),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  return {
    provider,
    console: consoleApp,
    tokens,
    call,
    close: async () => {
      await consoleApp.close();
      await provider.stop();
    },
  };
};

/** Secrets of two teams, one of a team whose name starts like the first's, and one without a team tag. */
export const TEAM_SECRETS = [
  { name: 'teams/payments/orders', team: 'payments' },
  { name: 'teams/payments/ledger', team: 'payments' },
  { name: 'teams/payments-eu/orders', team: 'payments-eu' },
  { name: 'teams/identity/users', team: 'identity' },
  { name: 'teams/legacy/untagged', team: null },
] as const;

export const seedTeamSecrets = async (prefix = '') => {
  const arns: Record<string, string> = {};
  for (const s of TEAM_SECRETS) {
    const out = await aws().secretsManager.send(
      new CreateSecretCommand({
        Name: `${prefix}${s.name}`,
        SecretString: JSON.stringify({
          engine: 'postgres',
          host: 'db.internal',
          username: 'app',
          password: 'not-a-real-password-0',
          dbname: 'app',
          port: 5432,
        }),
        ...(s.team ? { Tags: [{ Key: 'team', Value: s.team }] } : {}),
      }),
    );
    arns[s.name] = out.ARN!;
  }
  return arns;
};
