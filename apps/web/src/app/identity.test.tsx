import { operationLabels, Operation } from '@rotation-console/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { forgetCsrfToken } from '../lib/api-client.ts';
import { browserLocation } from '../lib/session.ts';
import { anError, aSecretDetail, aStuckSecretDetail } from '../test/fixtures.ts';
import { demoPeople, signedInAs } from '../test/identity-fixtures.ts';
import { renderRoute } from '../test/render.tsx';
import { secretPageApi } from '../test/secret-page-handlers.ts';
import { server } from '../test/server.ts';

const PAYMENTS_SECRET = aSecretDetail({ name: 'prod/payments/postgres', team: 'payments', tags: [{ key: 'team', value: 'payments' }] });

const serveSecret = (secret = PAYMENTS_SECRET) => server.use(http.get('/api/v1/secrets/:secretId', () => HttpResponse.json(secret)));

/** Cloudscape keeps a button with a disabled reason focusable: it says so with aria-disabled. */
const expectDisabled = (button: HTMLElement) => expect(button).toHaveAttribute('aria-disabled', 'true');
const expectEnabled = (button: HTMLElement) => expect(button).not.toHaveAttribute('aria-disabled', 'true');

/** jsdom has no widths, so the top navigation folds its utilities into "More": open it, then the person's entry. */
const openPersonMenu = async (user: ReturnType<typeof renderRoute>['user'], name: string) => {
  await user.click(await screen.findByRole('button', { name: 'More' }));
  await user.click(await screen.findByRole('button', { name: new RegExp(name) }));
  return screen.findByRole('button', { name: 'Sign out' });
};

let assign: MockInstance<(url: string) => void>;
beforeEach(() => {
  assign = vi.spyOn(browserLocation, 'assign').mockImplementation(() => {});
});
afterEach(() => {
  assign.mockRestore();
  forgetCsrfToken();
});

describe('Who is signed in', () => {
  it('When Pat is signed in, then the top navigation shows the name and opens on the role and team with "Sign out"', async () => {
    // Arrange
    server.use(signedInAs(demoPeople.pat));
    serveSecret();
    const { user } = renderRoute('/secrets/prod%2Fpayments%2Fpostgres');

    // Act
    const signOut = await openPersonMenu(user, 'Pat Payments');

    // Assert
    expect(signOut).toBeInTheDocument();
    expect(document.body).toHaveTextContent('operator · team payments');
  });

  it('When "Sign out" is chosen, then the session ends at the API (with its CSRF token) and the browser goes to the signed-out page', async () => {
    // Arrange
    server.use(signedInAs(demoPeople.vic));
    serveSecret();
    const logouts: (string | null)[] = [];
    server.use(
      http.get('/api/v1/csrf-token', () => HttpResponse.json({ token: 'csrf-of-this-session', header: 'x-csrf-token' })),
      http.post('/auth/logout', ({ request }) => {
        logouts.push(request.headers.get('x-csrf-token'));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderRoute('/secrets/prod%2Fpayments%2Fpostgres');
    const signOut = await openPersonMenu(user, 'Vic Viewer');

    // Act
    await user.click(signOut);

    // Assert
    await waitFor(() => expect(assign).toHaveBeenCalledWith('/signed-out'));
    expect(logouts).toEqual(['csrf-of-this-session']);
  });

  it('When signing out fails, then the page says so and the browser stays', async () => {
    // Arrange
    server.use(
      signedInAs(demoPeople.vic),
      http.get('/api/v1/csrf-token', () => HttpResponse.json({ token: null, header: 'x-csrf-token' })),
      http.post('/auth/logout', () => new HttpResponse(null, { status: 503 })),
    );
    serveSecret();
    const { user } = renderRoute('/secrets/prod%2Fpayments%2Fpostgres');
    const signOut = await openPersonMenu(user, 'Vic Viewer');

    // Act
    await user.click(signOut);

    // Assert
    expect(await screen.findByText('Signing out failed: the console answered 503. Try again.')).toBeInTheDocument();
    expect(assign).not.toHaveBeenCalled();
  });

  it('When the signed-out page opens, then it offers to sign in again and asks the API nothing', async () => {
    // Arrange
    const asked: string[] = [];
    server.events.on('request:start', ({ request }) => asked.push(request.url));

    // Act
    renderRoute('/signed-out');

    // Assert
    expect(await screen.findByRole('heading', { name: 'You are signed out' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', '/auth/login?returnTo=%2Fdashboard');
    expect(asked).toEqual([]);
    server.events.removeAllListeners();
  });
});

describe('The page hides what the person may not do', () => {
  it('When a viewer opens a secret, then "Edit rotation" is disabled with the reason', async () => {
    // Arrange
    server.use(signedInAs(demoPeople.vic));
    serveSecret();

    // Act
    renderRoute('/secrets/prod%2Fpayments%2Fpostgres');

    // Assert
    const edit = await screen.findByRole('button', { name: 'Edit rotation' });
    await waitFor(() => expectDisabled(edit));
    expect(document.body).toHaveTextContent('Viewers can look, not change: ask an operator of the team or an admin.');
  });

  it('When the operator of the secret\'s team opens it, then "Edit rotation" works; for an operator of no team it is disabled', async () => {
    // Arrange
    server.use(signedInAs(demoPeople.pat));
    serveSecret();
    const pat = renderRoute('/secrets/prod%2Fpayments%2Fpostgres');
    await waitFor(async () => expectEnabled(await screen.findByRole('button', { name: 'Edit rotation' })));
    await pat.user.click(screen.getByRole('button', { name: 'Edit rotation' }));
    await waitFor(() => expect(pat.router.state.location.pathname).toBe('/secrets/prod%2Fpayments%2Fpostgres/rotation'));
    pat.unmount();

    // Act
    server.use(signedInAs(demoPeople.nora));
    renderRoute('/secrets/prod%2Fpayments%2Fpostgres');

    // Assert
    const edit = await screen.findByRole('button', { name: 'Edit rotation' });
    await waitFor(() => expectDisabled(edit));
    expect(document.body).toHaveTextContent('Only operators of team payments and admins change this secret.');
  });

  it("When a viewer opens a stuck secret, then every operation is disabled and those that apply say why; for the team's operator they are enabled", async () => {
    // Arrange
    const secret = aStuckSecretDetail();
    const applies = secret.operations.filter((o) => o.allowed).map((o) => o.operation);
    server.use(...secretPageApi({ secret }).handlers, signedInAs(demoPeople.vic));
    const vic = renderRoute('/secrets/prod%2Fpayments%2Fpostgres');
    const operations = await screen.findByRole('list', { name: 'Operations' });
    for (const operation of Operation.options)
      await waitFor(() => expectDisabled(within(operations).getByRole('button', { name: operationLabels[operation] })));
    for (const operation of applies) {
      const item = within(operations).getByRole('button', { name: operationLabels[operation] }).closest('li')!;
      expect(item).toHaveTextContent('Viewers can look, not change: ask an operator of the team or an admin.');
    }
    vic.unmount();

    // Act
    server.use(signedInAs(demoPeople.pat));
    renderRoute('/secrets/prod%2Fpayments%2Fpostgres');

    // Assert
    const forPat = await screen.findByRole('list', { name: 'Operations' });
    expect(applies).toEqual(['turn-off', 'roll-back', 'clear-stuck']);
    for (const operation of applies) await waitFor(() => expectEnabled(within(forPat).getByRole('button', { name: operationLabels[operation] })));
    expect(forPat).not.toHaveTextContent('Only operators of team payments');
  });

  it('When a viewer opens the rotation wizard by its URL, then it says they cannot change the rotation instead of showing the steps', async () => {
    // Arrange
    server.use(signedInAs(demoPeople.vic));
    serveSecret();

    // Act
    renderRoute('/secrets/prod%2Fpayments%2Fpostgres/rotation');

    // Assert
    expect(await screen.findByText("You cannot change this secret's rotation")).toBeInTheDocument();
    expect(screen.getByText('Viewers can look, not change: ask an operator of the team or an admin.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Next' })).not.toBeInTheDocument();
  });

  it("When an operator opens another team's secret by its URL and the API refuses it, then the page says not found, as for a secret that does not exist", async () => {
    // Arrange
    server.use(
      signedInAs(demoPeople.pat),
      http.get('/api/v1/secrets/:secretId', () =>
        HttpResponse.json(anError('not_allowed', 'You are not allowed to secrets:read on this secret.'), { status: 403 }),
      ),
    );

    // Act
    renderRoute('/secrets/prod%2Fidentity%2Fusers-db');

    // Assert
    expect(await screen.findByText('Secret not found')).toBeInTheDocument();
    expect(screen.queryByText(/secrets:read/)).not.toBeInTheDocument();
  });
});
