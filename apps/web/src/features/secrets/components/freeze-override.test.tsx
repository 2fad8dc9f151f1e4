import { screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aSecretDetail, anError, healthyOperations } from '../../../test/fixtures.ts';
import { aMe, signedInAs } from '../../../test/identity-fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { serveSecretPageApi } from '../../../test/secret-page-handlers.ts';
import { server } from '../../../test/server.ts';

const REFUSAL =
  "Team payments's freeze window Release freeze is open until 2026-12-07 18:00 UTC: the console starts no rotation inside it. An admin may override it with a reason (overrideFreeze).";

const HEALTHY = aSecretDetail({
  name: 'prod/payments/postgres',
  team: 'payments',
  tags: [{ key: 'team', value: 'payments' }],
  operations: healthyOperations('rotate-payments-postgres'),
});

/** Rotate now is refused while the window is open, unless the request overrides it. */
const serveFreeze = () =>
  serveSecretPageApi({
    secret: HEALTHY,
    operation: ({ body }) =>
      (body as { overrideFreeze?: unknown }).overrideFreeze
        ? { id: 'wf-9', status: 'pending', location: '/api/v1/workflows/wf-9' }
        : HttpResponse.json(anError('conflict', REFUSAL), { status: 409 }),
  });

const rotateNow = async () => {
  const view = renderRoute('/secrets/prod%2Fpayments%2Fpostgres');
  const list = await screen.findByRole('list', { name: 'Operations' });
  await view.user.click(within(list).getByRole('button', { name: 'Rotate secret immediately' }));
  const dialog = await screen.findByRole('dialog');
  await view.user.click(await within(dialog).findByRole('button', { name: 'Rotate' }));
  return { ...view, dialog };
};

describe('Rotate now inside a freeze window', () => {
  it("When an operator rotates now inside the team's window, then the refusal names the window and no override is offered", async () => {
    serveFreeze();
    server.use(signedInAs(aMe({ roles: ['operator'], teams: ['payments'] })));

    const { dialog } = await rotateNow();

    expect(await within(dialog).findByText(/freeze window Release freeze is open until 2026-12-07 18:00 UTC/)).toBeInTheDocument();
    expect(within(dialog).queryByLabelText('Reason for overriding the freeze window')).not.toBeInTheDocument();
  });

  it('When an admin gives a reason after the refusal, then the override is sent with it and the rotation starts', async () => {
    const calls = serveFreeze();

    const { dialog, user } = await rotateNow();
    await user.type(await within(dialog).findByLabelText('Reason for overriding the freeze window'), 'Security fix INC-7');
    await user.click(within(dialog).getByRole('button', { name: 'Rotate' }));

    await waitFor(() =>
      expect(calls.operations.map((o) => o.body)).toEqual([
        { operation: 'rotate-now' },
        { operation: 'rotate-now', overrideFreeze: { reason: 'Security fix INC-7' } },
      ]),
    );
    // One request, retried with its key: the same Idempotency-Key both times.
    expect(new Set(calls.operations.map((o) => o.idempotencyKey)).size).toBe(1);
  });
});
