import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aPage, aSecret } from '../../../test/fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { server } from '../../../test/server.ts';

describe('Secrets page', () => {
  it('When the API returns secrets, then each is a row with its rotation status badge', async () => {
    // Arrange
    server.use(
      http.get('/api/v1/secrets', () =>
        HttpResponse.json(
          aPage([
            aSecret({ name: 'prod/orders/postgres', status: 'healthy' }),
            aSecret({ name: 'prod/billing/mysql', status: 'overdue', team: 'billing' }),
          ]),
        ),
      ),
    );

    // Act
    renderRoute('/secrets');

    // Assert
    const table = await screen.findByRole('table', { name: 'Secrets' });
    const row = (await within(table).findByRole('link', { name: 'prod/billing/mysql' })).closest('tr');
    expect(row).not.toBeNull();
    expect(within(row as HTMLElement).getByText('Overdue')).toBeInTheDocument();
  });
});
