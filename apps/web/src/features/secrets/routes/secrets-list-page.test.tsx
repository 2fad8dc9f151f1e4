import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aListFreshness, aPage, aSecret, aSecretDetail, anError } from '../../../test/fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { serveSecretRefreshes, serveSecrets } from '../../../test/secrets-list-handlers.ts';
import { rowOf, secretsTable } from '../../../test/secrets-table.ts';
import { server } from '../../../test/server.ts';

const statusSelect = () => screen.getByLabelText('Rotation status', { selector: 'button' });

describe('Secrets page', () => {
  it('When the API returns secrets, then each is a row with its details and rotation status badge', async () => {
    // Arrange
    serveSecrets(() =>
      aPage([
        aSecret({ name: 'prod/orders/postgres', status: 'healthy', team: 'orders' }),
        aSecret({ name: 'prod/billing/mysql', status: 'overdue', team: 'billing' }),
        aSecret({ name: 'prod/search/opensearch', status: 'pending_or_failed' }),
        aSecret({ name: 'dev/scratch', status: 'not_enabled' }),
        aSecret({ name: 'rds!db-1234', status: 'managed', owningService: 'rds' }),
      ]),
    );

    // Act
    renderRoute('/secrets');

    // Assert
    const healthy = await rowOf('prod/orders/postgres');
    expect(within(healthy).getByText('Healthy')).toBeInTheDocument();
    expect(within(healthy).getByText('Orders database credentials')).toBeInTheDocument();
    expect(within(healthy).getByText('orders')).toBeInTheDocument();
    expect(within(healthy).getByText('rotate-orders-postgres')).toBeInTheDocument();
    expect(within(healthy).getByText('November 1, 2026, 08:00 (UTC)')).toBeInTheDocument();
    expect(within(healthy).getByText('December 1, 2026, 08:00 (UTC)')).toBeInTheDocument();
    expect(within(await rowOf('prod/billing/mysql')).getByText('Overdue')).toBeInTheDocument();
    expect(within(await rowOf('prod/search/opensearch')).getByText('Rotation pending or failed')).toBeInTheDocument();
    expect(within(await rowOf('dev/scratch')).getByText('Rotation not enabled')).toBeInTheDocument();
    expect(within(await rowOf('rds!db-1234')).getByText('Managed by RDS')).toBeInTheDocument();
  });

  it('When the request is in flight, then the table says it is loading secrets', async () => {
    // Arrange
    server.use(http.get('/api/v1/secrets', () => new Promise<Response>(() => {})));

    // Act
    renderRoute('/secrets');

    // Assert
    expect(await screen.findByText('Loading secrets')).toBeInTheDocument();
  });

  it('When a secret name contains "/", then its link encodes the name as one path segment', async () => {
    // Arrange
    serveSecrets(() => aPage([aSecret({ name: 'prod/db+user=app@team.x-1' })]));

    // Act
    renderRoute('/secrets');

    // Assert
    const link = await within(await secretsTable()).findByRole('link', { name: 'prod/db+user=app@team.x-1' });
    expect(link).toHaveAttribute('href', '/secrets/prod%2Fdb%2Buser%3Dapp%40team.x-1');
  });

  it('When a secret name contains HTML, then it renders as text and no element is created', async () => {
    // Arrange
    const name = '<img src=x onerror=alert(1)>';
    serveSecrets(() => aPage([aSecret({ name, description: '<script>alert(2)</script>' })]));

    // Act
    const { container } = renderRoute('/secrets');

    // Assert
    const row = await rowOf(name);
    expect(within(row).getByText('<script>alert(2)</script>')).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
  });

  it('When the user types a name, then after the debounce one request filters by the prefix and the URL holds it', async () => {
    // Arrange
    const requests = serveSecrets((url) =>
      url.searchParams.get('name') === 'prod' ? aPage([aSecret({ name: 'prod/orders/postgres' })]) : aPage([aSecret({ name: 'dev/app' })]),
    );
    const { user, router } = renderRoute('/secrets');
    await rowOf('dev/app');

    // Act
    await user.type(screen.getByLabelText('Filter by secret name'), 'prod');

    // Assert
    await rowOf('prod/orders/postgres');
    expect(router.state.location.search).toBe('?name=prod');
    const names = requests.map((url) => url.searchParams.get('name'));
    expect(names).toEqual([null, 'prod']);
  });

  it('When the user picks a rotation status and a team, then the request and the URL carry both', async () => {
    // Arrange
    const requests = serveSecrets(() => aPage([aSecret()]));
    const { user, router } = renderRoute('/secrets');
    await rowOf('prod/orders/postgres');

    // Act
    await user.click(statusSelect());
    await user.click(await screen.findByRole('option', { name: 'Overdue' }));
    await user.type(screen.getByLabelText('Team'), 'orders');

    // Assert
    await waitFor(() => expect(requests.at(-1)?.searchParams.get('team')).toBe('orders'));
    expect(requests.at(-1)?.searchParams.get('status')).toBe('overdue');
    const search = new URLSearchParams(router.state.location.search);
    expect(search.get('status')).toBe('overdue');
    expect(search.get('team')).toBe('orders');
  });

  it('When the page opens with filters in the URL, then the first request uses them and the controls show them', async () => {
    // Arrange
    const requests = serveSecrets(() => aPage([aSecret()]));

    // Act
    renderRoute('/secrets?name=prod%2F&status=pending_or_failed&team=orders');

    // Assert
    await rowOf('prod/orders/postgres');
    expect(requests[0]?.searchParams.get('name')).toBe('prod/');
    expect(requests[0]?.searchParams.get('status')).toBe('pending_or_failed');
    expect(requests[0]?.searchParams.get('team')).toBe('orders');
    expect(screen.getByLabelText('Filter by secret name')).toHaveValue('prod/');
    expect(screen.getByLabelText('Team')).toHaveValue('orders');
    expect(statusSelect()).toHaveTextContent('Rotation pending or failed');
  });

  it('When the user goes to the next page and back, then the next request sends the cursor and the previous page returns', async () => {
    // Arrange
    const requests = serveSecrets((url) =>
      url.searchParams.get('cursor') === 'page-2' ? aPage([aSecret({ name: 'second/page' })], null) : aPage([aSecret({ name: 'first/page' })], 'page-2'),
    );
    const { user } = renderRoute('/secrets');
    await rowOf('first/page');

    // Act
    await user.click(screen.getByRole('button', { name: 'Next page' }));

    // Assert
    await rowOf('second/page');
    expect(requests.at(-1)?.searchParams.get('cursor')).toBe('page-2');
    expect(screen.getByRole('button', { name: 'Next page' })).toHaveAttribute('aria-disabled', 'true');

    // Act
    await user.click(screen.getByRole('button', { name: 'Previous page' }));

    // Assert
    await rowOf('first/page');
    expect(screen.getByRole('button', { name: 'Previous page' })).toHaveAttribute('aria-disabled', 'true');
  });

  it('When a filter changes on page 2, then paging starts again from the first page', async () => {
    // Arrange
    const requests = serveSecrets((url) =>
      url.searchParams.get('cursor') === 'page-2' ? aPage([aSecret({ name: 'second/page' })], null) : aPage([aSecret({ name: 'first/page' })], 'page-2'),
    );
    const { user } = renderRoute('/secrets');
    await rowOf('first/page');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await rowOf('second/page');

    // Act
    await user.click(statusSelect());
    await user.click(await screen.findByRole('option', { name: 'Healthy' }));

    // Assert
    await waitFor(() => expect(requests.at(-1)?.searchParams.get('status')).toBe('healthy'));
    expect(requests.at(-1)?.searchParams.has('cursor')).toBe(false);
    await rowOf('first/page');
  });

  it('When there are no secrets at all, then the table says "No secrets"', async () => {
    // Arrange
    serveSecrets(() => aPage([]));

    // Act
    renderRoute('/secrets');

    // Assert
    expect(await screen.findByText('No secrets')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Clear filters' })).not.toBeInTheDocument();
  });

  it('When no secret matches the filters, then "Clear filters" empties the URL and asks again without them', async () => {
    // Arrange
    const requests = serveSecrets((url) => (url.searchParams.has('team') ? aPage([]) : aPage([aSecret({ name: 'any/secret' })])));
    const { user, router } = renderRoute('/secrets?team=nobody&status=overdue');
    expect(await screen.findByText('No secrets match the filters')).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));

    // Assert
    await rowOf('any/secret');
    expect(router.state.location.search).toBe('');
    expect(requests.at(-1)?.search).toBe('');
    expect(screen.getByLabelText('Team')).toHaveValue('');
  });

  it('When the API fails, then an error alert shows its message and Retry loads the secrets', async () => {
    // Arrange
    let calls = 0;
    serveSecrets(() => {
      calls += 1;
      return calls === 1
        ? HttpResponse.json(anError('upstream_unavailable', 'Secrets Manager is not reachable.'), { status: 503 })
        : aPage([aSecret({ name: 'after/retry' })]);
    });
    const { user } = renderRoute('/secrets');
    expect(await screen.findByText('Failed to load secrets')).toBeInTheDocument();
    expect(screen.getByText('Secrets Manager is not reachable.')).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('button', { name: 'Retry' }));

    // Assert
    await rowOf('after/retry');
    expect(calls).toBe(2);
  });

  it('When the user follows a secret name, then the secret page opens', async () => {
    // Arrange
    serveSecrets(() => aPage([aSecret({ name: 'prod/orders/postgres' })]));
    server.use(http.get('/api/v1/secrets/:secretId', ({ params }) => HttpResponse.json(aSecretDetail({ name: String(params.secretId) }))));
    const { user, router } = renderRoute('/secrets');

    // Act
    await user.click(await within(await secretsTable()).findByRole('link', { name: 'prod/orders/postgres' }));

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'prod/orders/postgres' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/secrets/prod%2Forders%2Fpostgres');
  });
});

const refreshButton = () => screen.getByRole('button', { name: 'Refresh' });

describe('Secrets page, how fresh it is and Refresh', () => {
  it('When the page comes from the console’s index, then the header says when these secrets were last read from AWS', async () => {
    // Arrange
    serveSecrets(() => aPage([aSecret()], null, aListFreshness({ seenAt: new Date(Date.now() - 3.1 * 60_000).toISOString() })));

    // Act
    renderRoute('/secrets');

    // Assert
    await rowOf('prod/orders/postgres');
    expect(screen.getByText('Updated 3 minutes ago')).toBeInTheDocument();
  });

  it('When the index is still being built, then the header says the page comes straight from AWS, and an empty page does not say "No secrets"', async () => {
    // Arrange
    serveSecrets(() => aPage([], null, aListFreshness({ state: 'crawling', source: 'aws', indexedAt: null, secretsIndexed: 0 })));

    // Act
    renderRoute('/secrets?name=prod%2F');

    // Assert
    expect(await screen.findByText('Indexing: showing the first page straight from AWS')).toBeInTheDocument();
    expect(screen.getByText('Indexing secrets')).toBeInTheDocument();
    expect(screen.queryByText('No secrets')).not.toBeInTheDocument();
    expect(screen.queryByText('No secrets match the filters')).not.toBeInTheDocument();
  });

  it('When the user chooses Refresh, then the API reads the page in view (its filters and cursor) again from AWS and the table shows the answer', async () => {
    // Arrange
    serveSecrets((url) =>
      url.searchParams.get('cursor') === 'page-2'
        ? aPage([aSecret({ name: 'prod/second/old', status: 'healthy' })], null)
        : aPage([aSecret({ name: 'prod/first' })], 'page-2'),
    );
    const bodies = serveSecretRefreshes(() =>
      aPage(
        [aSecret({ name: 'prod/second/old', status: 'pending_or_failed', failedStep: 'setSecret' }), aSecret({ name: 'prod/second/made-outside' })],
        null,
        aListFreshness({ seenAt: new Date().toISOString() }),
      ),
    );
    const { user } = renderRoute('/secrets?name=prod%2F&team=orders');
    await rowOf('prod/first');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await rowOf('prod/second/old');

    // Act
    await user.click(refreshButton());

    // Assert
    await rowOf('prod/second/made-outside');
    expect(bodies).toEqual([{ name: 'prod/', team: 'orders', cursor: 'page-2' }]);
    expect(within(await rowOf('prod/second/old')).getByText('Rotation failed at setSecret')).toBeInTheDocument();
    expect(screen.getByText('Updated just now')).toBeInTheDocument();
  });

  it('When Refresh fails, then an alert says why and the rows in view stay', async () => {
    // Arrange
    serveSecrets(() => aPage([aSecret({ name: 'prod/still/here' })]));
    serveSecretRefreshes(() => HttpResponse.json(anError('upstream_unavailable', 'AWS is throttling DescribeSecret; try again in a moment.'), { status: 503 }));
    const { user } = renderRoute('/secrets');
    await rowOf('prod/still/here');

    // Act
    await user.click(refreshButton());

    // Assert
    expect(await screen.findByText('Failed to refresh secrets from AWS')).toBeInTheDocument();
    expect(screen.getByText('AWS is throttling DescribeSecret; try again in a moment.')).toBeInTheDocument();
    await rowOf('prod/still/here');
  });
});

describe('Secrets page, text from AWS', () => {
  it('When a secret’s name, team and description hold a right-to-left override, then each is shown isolated so it cannot reorder the row around it', async () => {
    // Arrange: U+202E reverses everything after it up to the end of the paragraph unless isolated.
    const rlo = '\u202E';
    serveSecrets(() => aPage([aSecret({ name: `prod/${rlo}gpj.exe`, team: `ops${rlo}`, description: `Invoices ${rlo}cod.txt` })]));

    // Act
    renderRoute('/secrets');

    // Assert
    const row = await rowOf(`prod/${rlo}gpj.exe`);
    for (const text of [`prod/${rlo}gpj.exe`, `ops${rlo}`, `Invoices ${rlo}cod.txt`]) {
      const shown = within(row).getByText(text);
      expect(shown.tagName).toBe('BDI');
      expect(shown).toHaveAttribute('title', text);
    }
  });
});
