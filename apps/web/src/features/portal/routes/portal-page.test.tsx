import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aFleetRow, aFreshness, anIndexingFreshness } from '../../../test/dashboard-fixtures.ts';
import { FLEET, FLEET_FAILURE, fleetTargets } from '../../../test/fixtures.ts';
import { aMe, demoPeople, signedInAs } from '../../../test/identity-fixtures.ts';
import { anIdentityTeam, aPaymentsTeam, aPortal } from '../../../test/portal-fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { server } from '../../../test/server.ts';

const answer = (portal = aPortal(), me = demoPeople.pat) => {
  const asked: URL[] = [];
  server.use(
    signedInAs(me),
    http.get('/api/v1/portal', ({ request }) => {
      asked.push(new URL(request.url));
      return HttpResponse.json(portal);
    }),
  );
  return asked;
};

describe('Team portal page (/portal)', () => {
  it('When Pat (operator of payments) opens the portal, then the team\u2019s name, what needs attention and its secrets with their status show', async () => {
    // Arrange
    answer();

    // Act
    renderRoute('/portal');

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'Payments' })).toBeInTheDocument();
    expect(screen.getByText('Team portal: 4 secrets, 3 needing attention, 1 rotation due in the next 7 days.')).toBeInTheDocument();
    const attention = screen.getByRole('table', { name: 'Needs attention' });
    const rows = within(attention).getAllByRole('row').slice(1);
    expect(rows.map((row) => [within(row).getByRole('rowheader').textContent, within(row).getAllByRole('cell')[0]!.textContent])).toEqual([
      ['prod/payments/ledger-app', 'Rotation is overdue'],
      ['prod/payments/reports-db', 'Rotation not enabled'],
      ['prod/payments/orders-db', 'Due in 3 days'],
    ]);
    const secrets = screen.getByRole('table', { name: 'Payments secrets' });
    expect(within(secrets).getByRole('row', { name: /prod\/payments\/cards-db/ })).toHaveTextContent('every 60 days');
    expect(within(secrets).getByRole('row', { name: /prod\/payments\/reports-db/ })).toHaveTextContent('Rotation not enabled');
    // One team: no selector.
    expect(screen.queryByRole('button', { name: /^Team/ })).not.toBeInTheDocument();
  });

  it('When a secret\u2019s rotation is off, then only it offers "Enable rotation", which links to the wizard with the team\u2019s defaults', async () => {
    // Arrange
    answer();
    renderRoute('/portal');
    await screen.findByRole('heading', { level: 1, name: 'Payments' });

    // Act (the actions show once /api/v1/me says what Pat may do)
    const buttons = await screen.findAllByRole('link', { name: 'Enable rotation for prod/payments/reports-db' });

    // Assert
    expect(buttons).toHaveLength(2); // in "Needs attention" and in the table
    expect(buttons[0]).toHaveAttribute('href', '/secrets/prod%2Fpayments%2Freports-db/rotation?team=payments');
    expect(screen.queryByRole('link', { name: 'Enable rotation for prod/payments/ledger-app' })).not.toBeInTheDocument();
  });

  it('When the team\u2019s settings are shown, then the defaults and the limit are in words', async () => {
    // Arrange
    answer();

    // Act
    renderRoute('/portal');
    await screen.findByRole('heading', { level: 1, name: 'Payments' });

    // Assert
    const settings = screen.getByRole('heading', { level: 2, name: 'Team defaults' }).closest('[class*="container"]') as HTMLElement;
    expect(settings).toHaveTextContent('Rotation scheduleevery 30 days');
    expect(settings).toHaveTextContent('Rotation window4h');
    expect(settings).toHaveTextContent('Rotation functionA new function for each secret (single-user)');
    expect(settings).toHaveTextContent('NetworkFound from the database through RDS');
    expect(settings).toHaveTextContent('Longest interval allowed90 days between rotations');
  });

  it('When someone has several teams, then a team selector switches the page and the URL', async () => {
    // Arrange
    answer(aPortal([anIdentityTeam(), aPaymentsTeam()]), aMe());
    const { user, router } = renderRoute('/portal');
    await screen.findByRole('heading', { level: 1, name: 'Identity' });

    // Act
    await user.click(screen.getByRole('button', { name: /^Team/ }));
    await user.click(await screen.findByRole('option', { name: /^Payments/ }));

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'Payments' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?team=payments');
  });

  it('When the person changes no team\u2019s secrets (a viewer), then the page says so and points to the dashboard', async () => {
    // Arrange
    answer(aPortal([]), aMe({ roles: ['viewer'] }));

    // Act
    renderRoute('/portal');

    // Assert
    expect(await screen.findByText('No team portal for you')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the dashboard' })).toHaveAttribute('href', '/dashboard');
  });

  it('When the index is still being built, then the page says it fills in by itself', async () => {
    // Arrange
    answer(aPortal([aPaymentsTeam()], { freshness: anIndexingFreshness() }));

    // Act
    renderRoute('/portal');

    // Assert
    expect(await screen.findByText('Indexing the account')).toBeInTheDocument();
  });

  it('When the portal fails to load, then the error shows with Retry', async () => {
    // Arrange
    server.use(
      http.get('/api/v1/portal', () =>
        HttpResponse.json({ error: { code: 'upstream_unavailable', message: 'The index is unavailable.' }, requestId: 'r1' }, { status: 503 }),
      ),
    );

    // Act
    renderRoute('/portal');

    // Assert
    expect(await screen.findByText('Failed to load the team portal')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});

describe('Team portal of a fleet of accounts and regions', () => {
  it('When the console covers several account-regions, then the team\u2019s secrets show their account and region, and the failed target shows with its error', async () => {
    // Arrange
    const team = aPaymentsTeam({
      secrets: [
        aFleetRow('prod/payments/cards-db', FLEET.payments, 'eu-west-1', { team: 'payments' }),
        aFleetRow('prod/payments/ledger-db', FLEET.identity, 'us-east-1', { team: 'payments' }),
      ],
    });
    answer(aPortal([team], { freshness: aFreshness({ targets: fleetTargets() }) }));

    // Act
    renderRoute('/portal');

    // Assert
    const secrets = await screen.findByRole('table', { name: 'Payments secrets' });
    expect(within(secrets).getByRole('columnheader', { name: 'Account and region' })).toBeInTheDocument();
    expect(within(secrets).getByRole('row', { name: /prod\/payments\/cards-db/ })).toHaveTextContent('payments-prod (111111111111)eu-west-1');
    expect(within(secrets).getByRole('row', { name: /prod\/payments\/ledger-db/ })).toHaveTextContent('identity-prod (333333333333)us-east-1');
    expect(screen.getByText(/3 of 4 account-regions fresh/)).toBeInTheDocument();
    expect(screen.getByText(/failed:/).closest('span[style]')).toHaveTextContent(
      `analytics-dev (222222222222) us-east-1 failed: ${FLEET_FAILURE}; last success never`,
    );
  });

  it('When the console covers several account-regions, then the portal filters by account and region and shows where the team\u2019s secrets live', async () => {
    // Arrange
    const team = aPaymentsTeam({
      byTarget: [
        { accountId: '111111111111', region: 'eu-west-1', total: 3, needsAttention: 2 },
        { accountId: '123456789012', region: 'us-east-1', total: 1, needsAttention: 1 },
      ],
    });
    const asked = answer(aPortal([team], { freshness: aFreshness({ targets: fleetTargets() }) }));
    const { user, router } = renderRoute('/portal');
    const where = await screen.findByRole('table', { name: 'Secrets by account and region' });
    expect(within(where).getByRole('row', { name: /payments-prod \(111111111111\)/ })).toHaveTextContent('eu-west-132');

    // Act
    await user.click(screen.getByLabelText('Account', { selector: 'button' }));
    await user.click(await screen.findByRole('option', { name: 'payments-prod (111111111111)' }));

    // Assert
    await waitFor(() => expect(asked.at(-1)?.searchParams.get('account')).toBe('111111111111'));
    expect(router.state.location.search).toBe('?account=111111111111');
  });

  it('When the console covers one account-region, then the portal shows no Account or Region column and no freshness line', async () => {
    // Arrange
    answer(aPortal([aPaymentsTeam()], { freshness: aFreshness({ targets: fleetTargets().slice(2, 3) }) }));

    // Act
    renderRoute('/portal');

    // Assert
    const secrets = await screen.findByRole('table', { name: 'Payments secrets' });
    expect(within(secrets).queryByRole('columnheader', { name: 'Account and region' })).toBeNull();
    expect(screen.queryByText(/account-regions/)).toBeNull();
    expect(screen.queryByText(/Updated/)).toBeNull();
  });
});

describe('Landing page (/)', () => {
  it('When Pat (operator of payments only) opens the console, then the team portal opens', async () => {
    // Arrange
    answer();

    // Act
    const { router } = renderRoute('/');

    // Assert
    await waitFor(() => expect(router.state.location.pathname).toBe('/portal'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Payments' })).toBeInTheDocument();
  });
});
