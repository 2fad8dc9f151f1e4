// The dashboard of a console that covers several account-regions (issue 14): coverage by account and
// region, Account and Region filters and columns, and how fresh each target is; and a single-account
// console, which shows none of it.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aCoverageGroup, aDashboardPage, aDashboardRow, aFleetPage, aFleetSummary, aFreshness, aSummary } from '../../../test/dashboard-fixtures.ts';
import { serveDashboardApi } from '../../../test/dashboard-handlers.ts';
import { FLEET_FAILURE, fleetTargets } from '../../../test/fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { rowOf, secretsTable } from '../../../test/secrets-table.ts';

const serveFleet = () => serveDashboardApi({ summary: aFleetSummary(), page: aFleetPage() });

const rowOfGroup = (table: HTMLElement, name: string) => within(table).getByRole('rowheader', { name }).closest('tr')!;

describe('Dashboard: a fleet of accounts and regions', () => {
  it('When the console covers several account-regions, then coverage by account (named, with the id) and by region shows beside team and engine', async () => {
    // Arrange
    serveFleet();

    // Act
    renderRoute('/dashboard');

    // Assert
    const byAccount = await screen.findByRole('table', { name: 'Coverage by account' });
    expect(within(rowOfGroup(byAccount, 'payments-prod (111111111111)')).getByText('75%')).toBeInTheDocument();
    expect(within(rowOfGroup(byAccount, 'identity-prod (333333333333)')).getByText('50%')).toBeInTheDocument();
    const byRegion = screen.getByRole('table', { name: 'Coverage by region' });
    expect(within(rowOfGroup(byRegion, 'us-east-1')).getByText('83.3%')).toBeInTheDocument();
    expect(within(rowOfGroup(byRegion, 'eu-west-1')).getByText('50%')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Coverage by team' })).toBeInTheDocument();
  });

  it('When one target failed, then the page says how many account-regions are fresh and shows the failed one with its error and last success, without a click', async () => {
    // Arrange
    serveFleet();

    // Act
    renderRoute('/dashboard');

    // Assert
    expect(await screen.findByText('Updated 2 minutes ago')).toBeInTheDocument();
    const header = screen.getByRole('heading', { level: 1, name: 'Dashboard' }).closest('header') ?? document.body;
    expect(within(header).getByText(/3 of 4 account-regions fresh/)).toBeInTheDocument();
    const warning = within(header)
      .getByText(/failed:/)
      .closest('span[style]') as HTMLElement;
    expect(warning).toHaveTextContent(`analytics-dev (222222222222) us-east-1 failed: ${FLEET_FAILURE}; last success never`);
    // Only the failed one is on a warning line.
    expect(within(header).queryByText(/payments-prod/)).toBeNull();
  });

  it('When the user opens "Each account-region", then every target is listed with its state, last success and secrets, the failed one first with its error', async () => {
    // Arrange
    serveFleet();
    const { user } = renderRoute('/dashboard');

    // Act
    await user.click(await screen.findByRole('button', { name: 'Each account-region' }));

    // Assert
    const list = await screen.findByRole('list', { name: 'Account-regions' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(4);
    expect(items[0]).toHaveTextContent('analytics-dev (222222222222) us-east-1');
    expect(items[0]).toHaveTextContent('Failed');
    expect(items[0]).toHaveTextContent('last success never');
    expect(items[0]).toHaveTextContent(FLEET_FAILURE);
    const paymentsEast = items.find((item) => item.textContent?.startsWith('payments-prod (111111111111) us-east-1'));
    expect(paymentsEast).toHaveTextContent('Fresh · last success 3 minutes ago · 120 secrets');
  });

  it('When the list loads, then each row shows its account by name with the id, and its region', async () => {
    // Arrange
    serveFleet();

    // Act
    renderRoute('/dashboard');

    // Assert
    const table = await secretsTable();
    expect(within(table).getByRole('columnheader', { name: 'Account and region' })).toBeInTheDocument();
    const row = await rowOf('prod/identity/mysql');
    expect(within(row).getByText('identity-prod', { exact: false })).toHaveTextContent('identity-prod');
    expect(row).toHaveTextContent('identity-prod (333333333333)');
    expect(within(row).getByText('eu-west-1')).toBeInTheDocument();
  });

  it('When the user filters by account and region, then the request, the URL and the CSV link carry them, and paging starts again', async () => {
    // Arrange
    const calls = serveDashboardApi({ summary: aFleetSummary(), page: aFleetPage({ total: 60 }) });
    const { user, router } = renderRoute('/dashboard?page=2');
    await rowOf('prod/payments/postgres');

    // Act
    await user.click(screen.getByLabelText('Account', { selector: 'button' }));
    await user.click(await screen.findByRole('option', { name: 'payments-prod (111111111111)' }));
    await user.click(screen.getByLabelText('Region', { selector: 'button' }));
    await user.click(await screen.findByRole('option', { name: 'eu-west-1' }));

    // Assert
    await waitFor(() => expect(calls.lists.at(-1)?.get('region')).toBe('eu-west-1'));
    expect(Object.fromEntries(calls.lists.at(-1)!)).toEqual({
      offset: '0',
      limit: '25',
      sort: 'name',
      order: 'asc',
      account: '111111111111',
      region: 'eu-west-1',
    });
    expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({ account: '111111111111', region: 'eu-west-1' });
    const csv = new URL(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')!, 'http://localhost');
    expect(Object.fromEntries(csv.searchParams)).toEqual({ account: '111111111111', region: 'eu-west-1', sort: 'name', order: 'asc' });
  });

  it('When the page opens with an account and a region in the URL, then the first request uses them and the filters show them', async () => {
    // Arrange
    const calls = serveFleet();

    // Act
    renderRoute('/dashboard?account=333333333333&region=eu-west-1');

    // Assert
    await rowOf('prod/identity/mysql');
    expect(Object.fromEntries(calls.lists[0]!)).toMatchObject({ account: '333333333333', region: 'eu-west-1' });
    expect(screen.getByLabelText('Account', { selector: 'button' })).toHaveTextContent('identity-prod (333333333333)');
    expect(screen.getByLabelText('Region', { selector: 'button' })).toHaveTextContent('eu-west-1');
  });

  it('When the filter options come from the summary, then they are the accounts and regions it counts secrets in', async () => {
    // Arrange
    serveDashboardApi({
      summary: aFleetSummary({ byAccount: [aCoverageGroup('333333333333', 80, 40)], byRegion: [aCoverageGroup('eu-west-1', 80, 40)] }),
      page: aFleetPage(),
    });
    const { user } = renderRoute('/dashboard');
    await rowOf('prod/identity/mysql');

    // Act
    await user.click(screen.getByLabelText('Account', { selector: 'button' }));

    // Assert
    const options = await screen.findAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual(['Any account', 'identity-prod (333333333333)']);
  });
});

describe('Dashboard: a single account', () => {
  it('When the console covers one account-region, then no coverage by account or region, no Account or Region filter or column, and no line per target show', async () => {
    // Arrange: the console's own account alone, its crawl failed (a single account says so as it always has, not per target).
    const [only] = fleetTargets().slice(2);
    serveDashboardApi({
      summary: aSummary({ freshness: aFreshness({ targets: [only!] }) }),
      page: aDashboardPage([aDashboardRow()], { freshness: aFreshness({ targets: [only!] }) }),
    });

    // Act
    renderRoute('/dashboard');

    // Assert
    const table = await secretsTable();
    await rowOf('prod/payments/postgres');
    expect(screen.getByRole('table', { name: 'Coverage by team' })).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Coverage by account' })).toBeNull();
    expect(screen.queryByRole('table', { name: 'Coverage by region' })).toBeNull();
    expect(within(table).queryByRole('columnheader', { name: 'Account and region' })).toBeNull();
    expect(screen.queryByLabelText('Account', { selector: 'button' })).toBeNull();
    expect(screen.queryByLabelText('Region', { selector: 'button' })).toBeNull();
    expect(screen.queryByText(/account-regions/)).toBeNull();
    expect(screen.queryByText(/AccessDenied/)).toBeNull();
  });
});
