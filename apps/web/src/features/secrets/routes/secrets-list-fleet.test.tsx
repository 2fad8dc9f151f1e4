// The Secrets list of a console that covers several account-regions (issue 14): Account and Region
// filters (sent to the API and to Refresh) and columns, and how fresh each target is; and a
// single-account console, which shows none of it.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aFleetSecret, aListFreshness, aPage, aSecret, FLEET, FLEET_FAILURE, fleetTargets } from '../../../test/fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { serveSecretRefreshes, serveSecrets } from '../../../test/secrets-list-handlers.ts';
import { rowOf, secretsTable } from '../../../test/secrets-table.ts';

const fleetPage = (
  items = [aFleetSecret('prod/payments/postgres', FLEET.payments, 'eu-west-1'), aFleetSecret('prod/identity/mysql', FLEET.identity, 'eu-west-1')],
) => aPage(items, null, aListFreshness({ targets: fleetTargets() }));

const accountSelect = () => screen.getByLabelText('Account', { selector: 'button' });
const regionSelect = () => screen.getByLabelText('Region', { selector: 'button' });

describe('Secrets page: a fleet of accounts and regions', () => {
  it('When the console covers several account-regions, then each row shows its account by name with the id and its region, and the failed target shows with its error', async () => {
    // Arrange
    serveSecrets(() => fleetPage());

    // Act
    renderRoute('/secrets');

    // Assert
    const table = await secretsTable();
    const row = await rowOf('prod/identity/mysql');
    expect(within(table).getByRole('columnheader', { name: 'Account and region' })).toBeInTheDocument();
    expect(row).toHaveTextContent('identity-prod (333333333333)');
    expect(within(row).getByText('eu-west-1')).toBeInTheDocument();
    expect(screen.getByText(/3 of 4 account-regions fresh/)).toBeInTheDocument();
    expect(screen.getByText(/failed:/).closest('span[style]')).toHaveTextContent(
      `analytics-dev (222222222222) us-east-1 failed: ${FLEET_FAILURE}; last success never`,
    );
  });

  it('When the user picks an account and a region, then the request and the URL carry both, and the filters offer every target’s account and region', async () => {
    // Arrange
    const requests = serveSecrets(() => fleetPage());
    const { user, router } = renderRoute('/secrets');
    await rowOf('prod/payments/postgres');

    // Act
    await user.click(accountSelect());
    const accounts = (await screen.findAllByRole('option')).map((option) => option.textContent);
    await user.click(await screen.findByRole('option', { name: 'analytics-dev (222222222222)' }));
    await user.click(regionSelect());
    await user.click(await screen.findByRole('option', { name: 'us-east-1' }));

    // Assert
    expect(accounts).toEqual(['Any account', 'payments-prod (111111111111)', 'analytics-dev (222222222222)', 'identity-prod (333333333333)']);
    await waitFor(() => expect(requests.at(-1)?.searchParams.get('region')).toBe('us-east-1'));
    expect(requests.at(-1)?.searchParams.get('account')).toBe('222222222222');
    const search = new URLSearchParams(router.state.location.search);
    expect(search.get('account')).toBe('222222222222');
    expect(search.get('region')).toBe('us-east-1');
  });

  it('When the page for a new account is still loading, then the Account and Region filters and columns stay on screen', async () => {
    // Arrange
    serveSecrets((url) => (url.searchParams.has('account') ? new Promise<Response>(() => {}) : fleetPage()));
    const { user } = renderRoute('/secrets');
    await rowOf('prod/payments/postgres');

    // Act
    await user.click(accountSelect());
    await user.click(await screen.findByRole('option', { name: 'identity-prod (333333333333)' }));

    // Assert
    expect(await screen.findByText('Loading secrets')).toBeInTheDocument();
    expect(accountSelect()).toHaveTextContent('identity-prod (333333333333)');
    expect(regionSelect()).toBeInTheDocument();
    expect(within(await secretsTable()).getByRole('columnheader', { name: 'Account and region' })).toBeInTheDocument();
  });

  it('When the user chooses Refresh on a page filtered by account and region, then the API reads that page again in both, and the page in view shows its answer with the filters kept', async () => {
    // Arrange
    const requests = serveSecrets(() => fleetPage([aFleetSecret('prod/identity/mysql', FLEET.identity, 'eu-west-1')]));
    const bodies = serveSecretRefreshes(() =>
      fleetPage([aFleetSecret('prod/identity/made-outside', FLEET.identity, 'eu-west-1'), aFleetSecret('prod/identity/mysql', FLEET.identity, 'eu-west-1')]),
    );
    const { user, router } = renderRoute('/secrets?account=333333333333&region=eu-west-1');
    await rowOf('prod/identity/mysql');

    // Act
    await user.click(screen.getByRole('button', { name: 'Refresh' }));

    // Assert
    expect(await rowOf('prod/identity/made-outside')).toHaveTextContent('identity-prod (333333333333)');
    expect(bodies).toEqual([{ account: '333333333333', region: 'eu-west-1' }]);
    // The answer is the page in view: not asked for again, and still that account-region's.
    expect(requests).toHaveLength(1);
    expect(accountSelect()).toHaveTextContent('identity-prod (333333333333)');
    expect(regionSelect()).toHaveTextContent('eu-west-1');
    expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({ account: '333333333333', region: 'eu-west-1' });
  });
});

describe('Secrets page: a single account', () => {
  it('When the console covers one account-region, then no Account or Region filter or column and no line per target show', async () => {
    // Arrange: the console's own account alone, its crawl failed (a single account says so as it always has, not per target).
    const [failed] = fleetTargets().slice(2);
    serveSecrets(() => aPage([aSecret()], null, aListFreshness({ targets: [failed!] })));

    // Act
    renderRoute('/secrets');

    // Assert
    const table = await secretsTable();
    await rowOf('prod/orders/postgres');
    expect(within(table).queryByRole('columnheader', { name: 'Account and region' })).toBeNull();
    expect(screen.queryByLabelText('Account', { selector: 'button' })).toBeNull();
    expect(screen.queryByLabelText('Region', { selector: 'button' })).toBeNull();
    expect(screen.queryByText(/account-regions/)).toBeNull();
    expect(screen.queryByText(/AccessDenied/)).toBeNull();
  });
});
