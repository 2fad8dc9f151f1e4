import { screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aDashboardPage, aDashboardRow, anIndexingFreshness, aSummary } from '../../../test/dashboard-fixtures.ts';
import { serveDashboardApi } from '../../../test/dashboard-handlers.ts';
import { anError } from '../../../test/fixtures.ts';
import { demoPeople, signedInAs } from '../../../test/identity-fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { server } from '../../../test/server.ts';
import { rowOf, secretsTable } from '../../../test/secrets-table.ts';
import { serveSecretPageApi } from '../../../test/secret-page-handlers.ts';

describe('Dashboard: summary', () => {
  it('When the summary loads, then the counts by status, the coverage, the secrets due soon and how fresh the index is are shown', async () => {
    // Arrange
    serveDashboardApi();

    // Act
    renderRoute('/dashboard');

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    expect(await screen.findByText('Updated 2 minutes ago')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Healthy: 880' })).toHaveAttribute('href', '/dashboard?status=healthy');
    expect(screen.getByRole('link', { name: 'Overdue: 37' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Rotation pending or failed: 12' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Rotation not enabled: 251' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Managed by another service: 40' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Rotation coverage' })).toBeInTheDocument();
    // The overall figure once, beside the counts; the section below breaks it down.
    expect(screen.getAllByText('79.8%')).toHaveLength(1);
    const byTeam = screen.getByRole('table', { name: 'Coverage by team' });
    const payments = within(byTeam).getByRole('rowheader', { name: 'payments' }).closest('tr')!;
    expect(within(payments).getByText('95%')).toBeInTheDocument();
    expect(within(byTeam).getByText('No team tag')).toBeInTheDocument();
    const byEngine = screen.getByRole('table', { name: 'Coverage by engine' });
    expect(within(within(byEngine).getByRole('rowheader', { name: 'mysql' }).closest('tr')!).getByText('72%')).toBeInTheDocument();
    const dueSoon = await screen.findByRole('table', { name: 'Due in the next 7 days' });
    expect(within(dueSoon).getByRole('link', { name: 'prod/payments/postgres' })).toHaveAttribute('href', '/secrets/prod%2Fpayments%2Fpostgres');
    expect(within(dueSoon).getByText('December 3, 2026, 16:00 (UTC)')).toBeInTheDocument();
  });

  it('When the status chart is shown, then it has a text equivalent with every count', async () => {
    // Arrange
    serveDashboardApi();

    // Act
    renderRoute('/dashboard');

    // Assert
    const description =
      '1,240 secrets: Healthy 880, Last rotation unknown 20, Overdue 37, Rotation pending or failed 12, Rotation not enabled 251, Managed by another service 40.';
    await waitFor(() => expect(document.querySelector(`[aria-label="Secrets by rotation status"]`)).not.toBeNull(), { timeout: 5000 });
    expect(screen.getAllByText(description, { exact: false }).length).toBeGreaterThan(0);
  });

  it('When some last rotations are not confirmed by their functions\u2019 logs, then the summary counts them apart from the healthy ones and links to them', async () => {
    // Arrange
    serveDashboardApi();

    // Act
    renderRoute('/dashboard');

    // Assert
    expect(await screen.findByRole('link', { name: 'Last rotation unknown: 20' })).toHaveAttribute('href', '/dashboard?status=unknown');
  });

  it('When the index is still being built, then the page says the first page comes straight from AWS', async () => {
    // Arrange
    serveDashboardApi({
      summary: aSummary({ freshness: anIndexingFreshness() }),
      page: aDashboardPage([aDashboardRow()], { freshness: anIndexingFreshness() }),
    });

    // Act
    renderRoute('/dashboard');

    // Assert
    expect(await screen.findByText('Indexing: showing the first page straight from AWS (300 secrets indexed so far)')).toBeInTheDocument();
  });

  it('When the summary fails, then an error alert shows its message and Retry loads it', async () => {
    // Arrange
    let calls = 0;
    serveDashboardApi({
      summary: () => {
        calls += 1;
        return calls === 1 ? HttpResponse.json(anError('upstream_unavailable', 'The index is not reachable.'), { status: 503 }) : aSummary();
      },
    });
    const { user } = renderRoute('/dashboard');
    expect(await screen.findByText('Failed to load the summary')).toBeInTheDocument();
    expect(screen.getByText('The index is not reachable.')).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('button', { name: 'Retry' }));

    // Assert
    expect(await screen.findByRole('link', { name: 'Healthy: 880' })).toBeInTheDocument();
  });
});

describe('Dashboard: the list', () => {
  it('When the page opens, then it asks for the first page by name and shows each row and the total', async () => {
    // Arrange (a viewer: every column shows; for who may select, the checkboxes take the Engine column's room)
    server.use(signedInAs(demoPeople.vic));
    const calls = serveDashboardApi({
      page: aDashboardPage(
        [
          aDashboardRow(),
          aDashboardRow({ name: 'rds!db-1234', status: 'managed', owningService: 'rds', schedule: null, lambdaArn: null, team: null, engine: null }),
        ],
        { total: 10_000 },
      ),
    });

    // Act
    renderRoute('/dashboard');

    // Assert
    const row = await rowOf('prod/payments/postgres');
    expect(within(row).getByText('Healthy')).toBeInTheDocument();
    expect(within(row).getByText('every 30 days')).toBeInTheDocument();
    expect(within(row).getByText('November 1, 2026, 04:00 (UTC)')).toBeInTheDocument();
    expect(within(row).getByText('December 1, 2026, 04:00 (UTC)')).toBeInTheDocument();
    expect(within(row).getByText('rotate-payments-postgres')).toBeInTheDocument();
    expect(within(row).getByText('payments')).toBeInTheDocument();
    expect(within(row).getByText('postgres')).toBeInTheDocument();
    expect(within(await rowOf('rds!db-1234')).getByText('Managed by RDS')).toBeInTheDocument();
    expect(screen.getByText('(10,000)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Page 400' })).toBeInTheDocument();
    expect(Object.fromEntries(calls.lists[0]!)).toEqual({ offset: '0', limit: '25', sort: 'name', order: 'asc' });
  });

  it('When a row\u2019s last rotation failed at a step its function\u2019s log shows, then the status names the step; an unconfirmed one says unknown', async () => {
    // Arrange
    serveDashboardApi({
      page: aDashboardPage([
        aDashboardRow({ name: 'prod/payments/stuck', status: 'pending_or_failed', failedStep: 'setSecret' }),
        aDashboardRow({ name: 'prod/payments/unconfirmed', status: 'unknown' }),
      ]),
    });

    // Act
    renderRoute('/dashboard');

    // Assert
    expect(within(await rowOf('prod/payments/stuck')).getByText('Rotation failed at setSecret')).toBeInTheDocument();
    expect(within(await rowOf('prod/payments/unconfirmed')).getByText('Last rotation unknown')).toBeInTheDocument();
  });

  it('When the user sorts by next rotation and goes to page 2, then the request carries sort, order and offset, and the URL holds them', async () => {
    // Arrange
    const calls = serveDashboardApi({ page: aDashboardPage([aDashboardRow()], { total: 60 }) });
    const { user, router } = renderRoute('/dashboard');
    await rowOf('prod/payments/postgres');

    // Act
    await user.click(within(await secretsTable()).getByText('Next rotation'));
    await user.click(within(await secretsTable()).getByText('Next rotation'));
    await user.click(screen.getByRole('button', { name: 'Page 2' }));

    // Assert
    await waitFor(() => expect(calls.lists.at(-1)?.get('offset')).toBe('25'));
    expect(Object.fromEntries(calls.lists.at(-1)!)).toEqual({ offset: '25', limit: '25', sort: 'nextRotationDate', order: 'desc' });
    expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({ sort: 'nextRotationDate', order: 'desc', page: '2' });
  });

  it('When the user filters by name, status, team and engine, then the request, the URL and the CSV link carry the filters, and paging starts again', async () => {
    // Arrange
    const calls = serveDashboardApi({ page: aDashboardPage([aDashboardRow()], { total: 60 }) });
    const { user, router } = renderRoute('/dashboard?page=2');
    await rowOf('prod/payments/postgres');

    // Act
    await user.type(screen.getByLabelText('Filter by secret name'), 'orders');
    await user.click(screen.getByLabelText('Rotation status', { selector: 'button' }));
    await user.click(await screen.findByRole('option', { name: 'Overdue' }));
    await user.type(screen.getByLabelText('Team'), 'payments');
    await user.type(screen.getByLabelText('Engine'), 'mysql');

    // Assert
    await waitFor(() => expect(calls.lists.at(-1)?.get('engine')).toBe('mysql'));
    expect(Object.fromEntries(calls.lists.at(-1)!)).toEqual({
      offset: '0',
      limit: '25',
      sort: 'name',
      order: 'asc',
      name: 'orders',
      status: 'overdue',
      team: 'payments',
      engine: 'mysql',
    });
    expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({
      name: 'orders',
      status: 'overdue',
      team: 'payments',
      engine: 'mysql',
    });
    const csv = new URL(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')!, 'http://localhost');
    expect(csv.pathname).toBe('/api/v1/dashboard/secrets.csv');
    expect(Object.fromEntries(csv.searchParams)).toEqual({ name: 'orders', status: 'overdue', team: 'payments', engine: 'mysql', sort: 'name', order: 'asc' });
  });

  it('When the page opens with a view in the URL, then the first request uses it and the controls show it', async () => {
    // Arrange
    const calls = serveDashboardApi({ page: aDashboardPage([aDashboardRow()], { total: 500 }) });

    // Act
    renderRoute('/dashboard?name=prod&status=pending_or_failed&team=payments&engine=postgres&sort=team&order=desc&page=3&pageSize=50');

    // Assert
    await rowOf('prod/payments/postgres');
    expect(Object.fromEntries(calls.lists[0]!)).toEqual({
      offset: '100',
      limit: '50',
      sort: 'team',
      order: 'desc',
      name: 'prod',
      status: 'pending_or_failed',
      team: 'payments',
      engine: 'postgres',
    });
    expect(screen.getByLabelText('Filter by secret name')).toHaveValue('prod');
    expect(screen.getByLabelText('Engine')).toHaveValue('postgres');
    expect(screen.getByLabelText('Rotation status', { selector: 'button' })).toHaveTextContent('Rotation pending or failed');
    expect(screen.getByRole('button', { name: 'Page 3' })).toHaveAttribute('aria-current', 'true');
  });

  it('When no secret matches the filters, then "Clear filters" empties them and asks again', async () => {
    // Arrange
    const calls = serveDashboardApi({
      page: ({ url }) => (url.searchParams.has('team') ? aDashboardPage([]) : aDashboardPage([aDashboardRow({ name: 'any/secret' })])),
    });
    const { user, router } = renderRoute('/dashboard?team=nobody');
    // The list mounts hidden and shows a frame later (ShownAfterFrame): wait for the button a person can see.
    const clearFilters = await screen.findByRole('button', { name: 'Clear filters' });
    expect(screen.getByText('No secrets match the filters')).toBeVisible();

    // Act
    await user.click(clearFilters);

    // Assert
    await rowOf('any/secret');
    expect(router.state.location.search).toBe('');
    expect(calls.lists.at(-1)?.has('team')).toBe(false);
  });

  it('When the list fails, then an error alert shows its message and Retry loads the page', async () => {
    // Arrange
    let calls = 0;
    serveDashboardApi({
      page: () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json(anError('internal', 'Something went wrong.'), { status: 500 })
          : aDashboardPage([aDashboardRow({ name: 'after/retry' })]);
      },
    });
    const { user } = renderRoute('/dashboard');
    const retry = await screen.findByRole('button', { name: 'Retry' });
    expect(screen.getByText('Failed to load secrets')).toBeVisible();

    // Act
    await user.click(retry);

    // Assert
    await rowOf('after/retry');
  });

  it('When the user follows a secret name, then the Secret page opens with its rotation and operations', async () => {
    // Arrange
    serveDashboardApi();
    serveSecretPageApi();
    const { user, router } = renderRoute('/dashboard');

    // Act
    await user.click(await within(await secretsTable()).findByRole('link', { name: 'prod/payments/postgres' }));

    // Assert
    expect(await screen.findByRole('list', { name: 'Operations' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/secrets/prod%2Fpayments%2Fpostgres');
  });
});

describe('Landing page', () => {
  it('When the app opens at "/", then it shows the Dashboard', async () => {
    // Arrange
    serveDashboardApi();

    // Act
    const { router } = renderRoute('/');

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/dashboard');
  });
});

describe('Side navigation', () => {
  it('When the console opens, then the side navigation offers Dashboard, Secrets and Calendar', async () => {
    // Arrange
    serveDashboardApi();

    // Act
    renderRoute('/dashboard');

    // Assert
    const navigation = await screen.findByRole('navigation', { name: 'Side navigation' });
    expect(within(navigation).getByRole('link', { name: 'Dashboard' })).toHaveAttribute('href', '/dashboard');
    expect(within(navigation).getByRole('link', { name: 'Secrets' })).toHaveAttribute('href', '/secrets');
    expect(within(navigation).getByRole('link', { name: 'Calendar' })).toHaveAttribute('href', '/calendar');
  });
});
