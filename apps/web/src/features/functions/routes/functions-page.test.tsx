import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { FLEET } from '../../../test/fixtures.ts';
import { aDeprecatedFailingFunction, aFunctionRow, aFunctionsPage, anOldConsoleFunction, anUpdatePreview } from '../../../test/functions-fixtures.ts';
import { demoPeople, signedInAs } from '../../../test/identity-fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { aWorkflow } from '../../../test/rotation-fixtures.ts';
import { server } from '../../../test/server.ts';

/** The page's API: what GET /functions answers, and what the update's preview and start were sent. */
const serveFunctions = (page = aFunctionsPage(), me = demoPeople.alice) => {
  const calls = { lists: [] as URL[], previews: [] as unknown[], updates: [] as { body: unknown; idempotencyKey: string | null }[] };
  server.use(
    signedInAs(me),
    http.get('/api/v1/functions', ({ request }) => {
      calls.lists.push(new URL(request.url));
      return HttpResponse.json(page);
    }),
    http.post('/api/v1/function-update-previews', async ({ request }) => {
      calls.previews.push(await request.json());
      return HttpResponse.json(anUpdatePreview());
    }),
    http.post('/api/v1/function-updates', async ({ request }) => {
      calls.updates.push({ body: await request.json(), idempotencyKey: request.headers.get('idempotency-key') });
      return HttpResponse.json({ id: 'wf-7', status: 'pending', location: '/api/v1/workflows/wf-7' }, { status: 202 });
    }),
    http.get('/api/v1/workflows/:workflowId', () =>
      HttpResponse.json(aWorkflow({ id: 'wf-7', kind: 'update-function', subject: anOldConsoleFunction().arn, status: 'running', outcome: null })),
    ),
  );
  return calls;
};

const rowOf = async (name: string) => {
  const table = await screen.findByRole('table', { name: 'Rotation functions' });
  return within(table).findByRole('row', { name: new RegExp(name) });
};

describe('Functions page (/functions)', () => {
  it('When an admin opens it, then each function shows its runtime\u2019s end of life, owner, secrets, last rotation, failures and version', async () => {
    // Arrange: a function shared by two teams, whose last rotation worked while two of its other secrets failed.
    const failure = {
      ...aDeprecatedFailingFunction().lastFailure!,
      secretName: 'prod/identity/sessions-db',
      message: 'did not finish: AWSPENDING is left on version v-2',
    };
    const shared = aFunctionRow({ name: 'shared-rotation', owners: [], owner: 'no team', failing: 2, lastFailure: failure, secretCount: 5 });
    serveFunctions(aFunctionsPage({ items: [...aFunctionsPage().items, shared] }));

    // Act
    renderRoute('/functions');

    // Assert
    const current = await rowOf('payments-rotation');
    expect(current).toHaveTextContent('nodejs24.x');
    expect(current).toHaveTextContent('Supported until 2028-04-30');
    expect(current).toHaveTextContent('team payments');
    // In the secrets it rotates and under its last rotation; in a fleet by ARN (a name may be another account's too).
    for (const link of within(current).getAllByRole('link', { name: 'prod/payments/orders-db' })) {
      expect(link).toHaveAttribute('href', `/secrets/${encodeURIComponent(aFunctionRow().secrets[0]!.arn)}`);
    }
    expect(current).toHaveTextContent('Succeeded');
    expect(current).toHaveTextContent('Not the console\u2019s');
    const legacy = await rowOf('identity-legacy-rotation');
    expect(legacy).toHaveTextContent('Deprecated since 2025-12-15; updates blocked from 2027-03-03: move to python3.14');
    // Its last rotation is its one failure: said once.
    expect(legacy).toHaveTextContent('Failed: setSecret failed');
    expect(legacy).not.toHaveTextContent('failing');
    const sharedRow = await rowOf('shared-rotation');
    expect(sharedRow).toHaveTextContent('no team');
    expect(sharedRow).toHaveTextContent('Succeeded');
    expect(sharedRow).toHaveTextContent('2 failing, last: did not finish: AWSPENDING is left on version v-2');
    expect(sharedRow).toHaveTextContent('and 4 more');
    const old = await rowOf('payments-console-rotation');
    expect(old).toHaveTextContent('Console function: update available');
    expect(within(old).getByRole('button', { name: 'Update payments-console-rotation' })).toBeEnabled();
    // The account Lambda did not answer for, with its error.
    expect(screen.getByText('Lambda did not answer for 1 account-region')).toBeInTheDocument();
    // The side navigation leads here.
    expect(screen.getByRole('link', { name: 'Functions' })).toHaveAttribute('href', '/functions');
  });

  it('When the account filter is chosen, then the URL and the request name that account', async () => {
    // Arrange
    const calls = serveFunctions();
    const { user, router } = renderRoute('/functions');
    await rowOf('payments-rotation');

    // Act
    await user.click(screen.getByRole('button', { name: /Account/ }));
    await user.click(await screen.findByRole('option', { name: new RegExp(FLEET.identity.accountId) }));

    // Assert
    await waitFor(() => expect(router.state.location.search).toBe(`?account=${FLEET.identity.accountId}`));
    await waitFor(() => expect(calls.lists.at(-1)!.searchParams.get('account')).toBe(FLEET.identity.accountId));
  });

  it('When the name filter is typed, then only matching functions stay', async () => {
    // Arrange
    serveFunctions();
    const { user } = renderRoute('/functions');
    await rowOf('payments-rotation');

    // Act
    await user.type(screen.getByRole('searchbox', { name: 'Find functions by name' }), 'legacy');

    // Assert
    const table = screen.getByRole('table', { name: 'Rotation functions' });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((row) => within(row).getByRole('rowheader').textContent),
    ).toEqual([expect.stringContaining('identity-legacy-rotation')]);
  });

  it('When Update is confirmed, then the preview shows every step with its CLI and the secrets, the acknowledgement is asked for, one POST carries an Idempotency-Key and the workflow opens', async () => {
    // Arrange
    const calls = serveFunctions();
    const { user, router } = renderRoute('/functions');
    await user.click(within(await rowOf('payments-console-rotation')).getByRole('button', { name: 'Update payments-console-rotation' }));
    const dialog = await screen.findByRole('dialog');

    // Act
    expect(await within(dialog).findByText(anUpdatePreview().steps[1]!.cli!)).toBeInTheDocument();
    expect(within(dialog).getByRole('region', { name: 'Secrets it rotates' })).toHaveTextContent('prod/payments/orders-db (team payments)');
    const update = within(dialog).getByRole('button', { name: 'Update' });
    expect(update).toBeDisabled();
    await user.click(within(dialog).getByRole('checkbox'));
    await user.click(update);

    // Assert
    await waitFor(() => expect(router.state.location.pathname).toBe('/workflows/wf-7'));
    expect(calls.previews).toEqual([{ functionArn: anOldConsoleFunction().arn }]);
    expect(calls.updates).toHaveLength(1);
    expect(calls.updates[0]!.body).toEqual({ functionArn: anOldConsoleFunction().arn, acknowledgeSharedFunction: true });
    expect(calls.updates[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(await screen.findByRole('heading', { level: 1, name: 'Update workflow' })).toBeInTheDocument();
  });

  it('When a viewer opens it, then Update is offered to nobody: the button is disabled with the reason', async () => {
    // Arrange
    serveFunctions(aFunctionsPage(), demoPeople.vic);

    // Act
    renderRoute('/functions');

    // Assert
    const button = within(await rowOf('payments-console-rotation')).getByRole('button', { name: 'Update payments-console-rotation' });
    await waitFor(() => expect(button).toHaveAttribute('aria-disabled', 'true'));
  });
});
