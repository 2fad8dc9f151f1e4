import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aDashboardPage, aDashboardRow } from '../../../test/dashboard-fixtures.ts';
import { serveDashboardApi } from '../../../test/dashboard-handlers.ts';
import { renderRoute } from '../../../test/render.tsx';

describe('Dashboard list: rotations in a freeze window', () => {
  it("When a secret's next rotation falls in its team's freeze window, then its row says so with the window's name and times", async () => {
    const message = 'Next rotation falls in the freeze window Month-end close (2026-12-29 00:00 UTC – 2027-01-03 00:00 UTC).';
    serveDashboardApi({
      page: aDashboardPage([
        aDashboardRow({
          name: 'prod/payments/close-db',
          nextRotationDate: '2026-12-30T00:00:00Z',
          freezeWarning: {
            windowName: 'Month-end close',
            start: '2026-12-29T00:00:00Z',
            end: '2027-01-03T00:00:00Z',
            rotationStart: '2026-12-30T00:00:00Z',
            rotationEnd: '2026-12-31T00:00:00Z',
            message,
          },
        }),
        aDashboardRow({ name: 'prod/payments/other-db' }),
      ]),
    });

    renderRoute('/dashboard');

    const table = await screen.findByRole('table', { name: 'Secrets' });
    const warned = within(table).getByRole('row', { name: /prod\/payments\/close-db/ });
    expect(within(warned).getByTitle(message)).toHaveTextContent('In freeze window Month-end close');
    expect(within(within(table).getByRole('row', { name: /prod\/payments\/other-db/ })).queryByText(/In freeze window/)).not.toBeInTheDocument();
  });
});
