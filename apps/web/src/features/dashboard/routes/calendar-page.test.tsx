import { screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aCalendar, aCalendarWindow, aFreshness } from '../../../test/dashboard-fixtures.ts';
import { serveDashboardApi } from '../../../test/dashboard-handlers.ts';
import { anError, fleetTargets } from '../../../test/fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';

describe('Calendar', () => {
  it('When the calendar loads, then the windows are grouped by day under date headings, in time order', async () => {
    // Arrange
    const calls = serveDashboardApi();

    // Act
    renderRoute('/calendar');

    // Assert
    await screen.findByRole('heading', { level: 2, name: /December 1, 2026/ });
    const days = screen.getAllByRole('heading', { level: 2, name: /, 2026/ });
    expect(days.map((heading) => heading.textContent)).toEqual(['Tuesday, December 1, 2026 (2)', 'Wednesday, December 2, 2026 (1)']);
    const first = screen.getByRole('list', { name: 'Rotation windows on Tuesday, December 1, 2026' });
    const items = within(first).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('link').textContent)).toEqual(['prod/payments/mysql', 'prod/payments/postgres']);
    expect(within(items[0]!).getByText('01:00 to 04:00 (UTC)')).toBeInTheDocument();
    expect(within(items[1]!).getByRole('link')).toHaveAttribute('href', '/secrets/prod%2Fpayments%2Fpostgres');
    const second = screen.getByRole('list', { name: 'Rotation windows on Wednesday, December 2, 2026' });
    expect(within(second).getByText('16:00 to 18:00 (UTC)')).toBeInTheDocument();
    expect(within(second).getByText('Team identity')).toBeInTheDocument();
    expect(Object.fromEntries(calls.calendars[0]!)).toEqual({ days: '31' });
  });

  it('When the user filters by team, then the request and the URL carry the team', async () => {
    // Arrange
    const calls = serveDashboardApi({
      calendar: ({ url }) =>
        url.searchParams.get('team') === 'identity'
          ? aCalendar([aCalendarWindow('prod/identity/mysql', '2026-12-02T16:00:00.000Z', 2, 'identity')])
          : aCalendar([aCalendarWindow('prod/payments/postgres', '2026-12-01T04:00:00.000Z')]),
    });
    const { user, router } = renderRoute('/calendar');
    expect(await screen.findByRole('link', { name: 'prod/payments/postgres' })).toBeInTheDocument();

    // Act
    await user.type(screen.getByLabelText('Team'), 'identity');

    // Assert
    expect(await screen.findByRole('link', { name: 'prod/identity/mysql' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'prod/payments/postgres' })).not.toBeInTheDocument();
    expect(calls.calendars.at(-1)?.get('team')).toBe('identity');
    expect(router.state.location.search).toBe('?team=identity');
  });

  it('When the calendar opens with a team and a range in the URL, then the first request uses them', async () => {
    // Arrange
    const calls = serveDashboardApi();

    // Act
    renderRoute('/calendar?team=payments&days=7');

    // Assert
    await screen.findByRole('heading', { level: 2, name: /December 1, 2026/ });
    expect(Object.fromEntries(calls.calendars[0]!)).toEqual({ days: '7', team: 'payments' });
    expect(screen.getByLabelText('Team')).toHaveValue('payments');
  });

  it('When no window falls in the range, then the page says so; when more fall than one answer holds, it says that too', async () => {
    // Arrange
    serveDashboardApi({ calendar: aCalendar([], { truncated: true }) });

    // Act
    renderRoute('/calendar');

    // Assert
    expect(await screen.findByText('No rotation windows')).toBeInTheDocument();
    expect(screen.getByText('Not every window is shown')).toBeInTheDocument();
  });

  it('When the calendar fails, then Retry asks again', async () => {
    // Arrange
    let calls = 0;
    serveDashboardApi({
      calendar: () => {
        calls += 1;
        return calls === 1 ? HttpResponse.json(anError('internal', 'Something went wrong.'), { status: 500 }) : aCalendar([]);
      },
    });
    const { user } = renderRoute('/calendar');
    expect(await screen.findByText('Failed to load the calendar')).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('button', { name: 'Retry' }));

    // Assert
    await waitFor(() => expect(screen.getByText('No rotation windows')).toBeInTheDocument());
  });

  it('When the console covers several account-regions, then the calendar filters by account and region, and the request and the URL carry them', async () => {
    // Arrange
    const calls = serveDashboardApi({
      calendar: () =>
        aCalendar([aCalendarWindow('prod/payments/postgres', '2026-12-01T04:00:00.000Z')], { freshness: aFreshness({ targets: fleetTargets() }) }),
    });
    const { user, router } = renderRoute('/calendar');
    expect(await screen.findByRole('link', { name: 'prod/payments/postgres' })).toBeInTheDocument();

    // Act
    await user.click(screen.getByLabelText('Account', { selector: 'button' }));
    await user.click(await screen.findByRole('option', { name: 'payments-prod (111111111111)' }));
    await user.click(screen.getByLabelText('Region', { selector: 'button' }));
    await user.click(await screen.findByRole('option', { name: 'eu-west-1' }));

    // Assert
    await waitFor(() => expect(calls.calendars.at(-1)?.get('region')).toBe('eu-west-1'));
    expect(Object.fromEntries(calls.calendars.at(-1)!)).toEqual({ days: '31', account: '111111111111', region: 'eu-west-1' });
    expect(router.state.location.search).toBe('?account=111111111111&region=eu-west-1');
  });

  it('When the console covers one account-region, then the calendar offers no account or region filter', async () => {
    // Arrange
    serveDashboardApi();

    // Act
    renderRoute('/calendar');

    // Assert
    expect(await screen.findByRole('link', { name: 'prod/payments/postgres' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Account', { selector: 'button' })).toBeNull();
  });
});
