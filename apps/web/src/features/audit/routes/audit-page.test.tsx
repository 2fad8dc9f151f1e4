import type { AuditPage, AuditRecord } from '@rotation-console/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aMe, demoPeople, signedInAs } from '../../../test/identity-fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { server } from '../../../test/server.ts';

const aRecord = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  id: 'a1',
  at: '2026-11-28T17:00:00.000Z',
  actor: { id: 'pat', name: 'Pat Payments' },
  action: 'auth.login',
  subject: 'session',
  outcome: 'success',
  sourceIp: '10.0.0.7',
  userAgent: 'Mozilla/5.0',
  before: null,
  after: { roles: ['operator'], teams: ['payments'] },
  workflowId: null,
  count: 1,
  ...overrides,
});

const answer = (pages: AuditPage[]) => {
  const asked: URL[] = [];
  server.use(
    http.get('/api/v1/audit', ({ request }) => {
      const url = new URL(request.url);
      asked.push(url);
      return HttpResponse.json(url.searchParams.get('cursor') ? pages[1]! : pages[0]!);
    }),
  );
  return asked;
};

describe('Audit page (/audit)', () => {
  it('When an admin opens the audit log, then each record shows time, actor, action, subject, outcome and source IP', async () => {
    // Arrange
    answer([
      {
        items: [
          aRecord(),
          aRecord({ id: 'a2', actor: { id: 'vic', name: 'Vic Viewer' }, action: 'access.denied', subject: 'GET /api/v1/audit', outcome: 'denied' }),
        ],
        nextCursor: null,
      },
    ]);

    // Act
    renderRoute('/audit');

    // Assert
    const table = await screen.findByRole('table', { name: 'Audit records' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Pat Payments (pat)');
    expect(rows[0]).toHaveTextContent('auth.login');
    expect(rows[0]).toHaveTextContent('10.0.0.7');
    expect(rows[1]).toHaveTextContent('access.denied');
    expect(rows[1]).toHaveTextContent('GET /api/v1/audit');
    expect(rows[1]).toHaveTextContent('denied');
  });

  it('When a record counts the refusals of one address in a minute, then its row says how many times', async () => {
    // Arrange
    answer([
      {
        items: [
          aRecord({
            actor: { id: 'anonymous', name: 'Anonymous' },
            action: 'access.unauthenticated',
            subject: 'GET /api/v1/secrets',
            outcome: 'denied',
            count: 300,
          }),
        ],
        nextCursor: null,
      },
    ]);

    // Act
    renderRoute('/audit');

    // Assert
    const table = await screen.findByRole('table', { name: 'Audit records' });
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent('300 times in that minute');
  });

  it('When the admin filters by actor and outcome, then the API is asked with those filters and the URL keeps them', async () => {
    // Arrange
    const asked = answer([{ items: [aRecord()], nextCursor: null }]);
    const { user, router } = renderRoute('/audit');
    await screen.findByRole('table', { name: 'Audit records' });

    // Act
    await user.type(screen.getByRole('textbox', { name: 'Actor' }), 'vic');
    await user.click(screen.getAllByLabelText('Outcome', { selector: 'button' })[0]!);
    await user.click(await screen.findByRole('option', { name: 'denied' }));
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    // Assert
    await waitFor(() => expect(asked.at(-1)?.searchParams.get('actor')).toBe('vic'));
    expect(asked.at(-1)?.searchParams.get('outcome')).toBe('denied');
    expect(router.state.location.search).toContain('actor=vic');
  });

  it('When there are older records, then "Load older records" asks for the next page with the cursor', async () => {
    // Arrange
    const asked = answer([
      { items: [aRecord()], nextCursor: 'c2' },
      { items: [aRecord({ id: 'a3', action: 'auth.logout' })], nextCursor: null },
    ]);
    const { user } = renderRoute('/audit');
    await screen.findByRole('table', { name: 'Audit records' });

    // Act
    await user.click(screen.getByRole('button', { name: 'Load older records' }));

    // Assert
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Audit records' })).getAllByRole('row')).toHaveLength(3));
    expect(asked.at(-1)?.searchParams.get('cursor')).toBe('c2');
    expect(screen.queryByRole('button', { name: 'Load older records' })).not.toBeInTheDocument();
  });

  it('When the caller may not read the audit log, then the page says so instead of a table', async () => {
    // Arrange
    server.use(
      signedInAs(demoPeople.vic),
      http.get('/api/v1/audit', () =>
        HttpResponse.json({ error: { code: 'not_allowed', message: 'You are not allowed to audit:read on this service.' }, requestId: 'r1' }, { status: 403 }),
      ),
    );

    // Act
    renderRoute('/audit');

    // Assert
    expect(await screen.findByText('Failed to load the audit log')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Audit records' })).not.toBeInTheDocument();
  });
});

describe('The "Audit log" navigation item', () => {
  it('When an admin is signed in, then the side navigation offers "Audit log"', async () => {
    // Arrange
    server.use(signedInAs(aMe({ roles: ['admin'] })));
    answer([{ items: [], nextCursor: null }]);

    // Act
    renderRoute('/audit');

    // Assert
    const nav = await screen.findByRole('navigation', { name: 'Side navigation' }).catch(() => document.body);
    expect(await within(nav).findByRole('link', { name: 'Audit log' })).toHaveAttribute('href', '/audit');
  });

  it.each([
    ['an operator', demoPeople.pat],
    ['a viewer', demoPeople.vic],
  ])('When %s is signed in, then there is no "Audit log" item', async (_who, me) => {
    // Arrange
    server.use(signedInAs(me));
    answer([{ items: [], nextCursor: null }]);

    // Act
    renderRoute('/audit');

    // Assert
    expect(await screen.findByRole('link', { name: 'Secrets' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Audit log' })).not.toBeInTheDocument());
  });
});
