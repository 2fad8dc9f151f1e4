import { operationLabels, type Operation, type SecretDetail } from '@rotation-console/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { anOperationPreview } from '../../../test/dashboard-fixtures.ts';
import { aSecretDetail, anError, aStuckSecretDetail, healthyOperations } from '../../../test/fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { serveSecretPageApi } from '../../../test/secret-page-handlers.ts';

const PAGE = '/secrets/prod%2Fpayments%2Fpostgres';

/** prod/payments/postgres rotating well: rotate now and turn off apply, roll back and clear do not. */
const HEALTHY = aSecretDetail({
  name: 'prod/payments/postgres',
  team: 'payments',
  tags: [{ key: 'team', value: 'payments' }],
  operations: healthyOperations('rotate-payments-postgres'),
});

/** The secret on which the operation applies: rotating now needs nothing stuck, the others a stuck rotation (and its AWSPREVIOUS). */
const secretFor = (operation: Operation): SecretDetail => (operation === 'rotate-now' ? HEALTHY : aStuckSecretDetail());

/** The Operations list's item of one operation: its button and the sentence beside it. */
const operationItem = async (operation: Operation) => {
  const list = await screen.findByRole('list', { name: 'Operations' });
  const button = within(list).getByRole('button', { name: operationLabels[operation] });
  return { button, item: button.closest('li')! };
};

/** The sentence shown in an item, not the hidden copy Cloudscape keeps as a disabled button's description. */
const shownIn = (item: HTMLElement, text: string) => within(item).getByText(text, { ignore: '[hidden]' });

/** Cloudscape keeps a button with a disabled reason focusable: it says so with aria-disabled. */
const expectDisabled = (button: HTMLElement) => expect(button).toHaveAttribute('aria-disabled', 'true');

/** Opens the page, clicks the operation's button and waits for its preview dialog. */
const openOperation = async (operation: Operation) => {
  const view = renderRoute(PAGE);
  await view.user.click((await operationItem(operation)).button);
  const dialog = await screen.findByRole('dialog');
  return { ...view, dialog };
};

describe('Operations beside the rotation', () => {
  it('When a rotation is stuck, then "Clear the stuck rotation" sits beside the sentence saying Secrets Manager refuses to start another until it is cleared', async () => {
    // Arrange
    serveSecretPageApi({ secret: aStuckSecretDetail() });

    // Act
    renderRoute(PAGE);

    // Assert
    const { button, item } = await operationItem('clear-stuck');
    const sentence =
      'Version v-new-0002 has AWSPENDING but not AWSCURRENT: a rotation did not finish, and Secrets Manager refuses to start another until it is cleared.';
    expect(shownIn(item, sentence)).toBeVisible();
    expect(button).toHaveAccessibleDescription(sentence);
    expect(button).toBeEnabled();
  });

  it('When no rotation is stuck, then "Clear the stuck rotation" is disabled with the reason beside it, and choosing it opens nothing', async () => {
    // Arrange
    const calls = serveSecretPageApi({ secret: HEALTHY });
    const { user } = renderRoute(PAGE);
    const { button, item } = await operationItem('clear-stuck');
    const reason = 'No rotation is stuck: no version has AWSPENDING without AWSCURRENT, so there is nothing to clear.';

    // Act
    await user.click(button);

    // Assert
    expectDisabled(button);
    expect(shownIn(item, reason)).toBeVisible();
    expect(button).toHaveAccessibleDescription(reason);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(calls.previews).toEqual([]);
  });

  it('When a rotation is stuck, then rotating now is disabled with the reason; turning off, rolling back and clearing are offered', async () => {
    // Arrange
    serveSecretPageApi({ secret: aStuckSecretDetail() });

    // Act
    renderRoute(PAGE);

    // Assert
    const rotateNow = await operationItem('rotate-now');
    expectDisabled(rotateNow.button);
    expect(rotateNow.item).toHaveTextContent('Clear the stuck rotation first.');
    for (const operation of ['turn-off', 'roll-back', 'clear-stuck'] as const) expect((await operationItem(operation)).button).toBeEnabled();
    expect((await operationItem('roll-back')).item).toHaveTextContent(
      'Version v-older-0000 has AWSPREVIOUS: AWSCURRENT can move back to it from version v-old-0001.',
    );
  });

  it('When a secret is managed by another service, then every operation is disabled and says where its rotation is changed', async () => {
    // Arrange
    const reason = 'This secret is managed by rds: its rotation is changed through rds, not through Secrets Manager.';
    serveSecretPageApi({
      secret: aSecretDetail({
        name: 'prod/payments/postgres',
        status: 'managed',
        owningService: 'rds',
        operations: healthyOperations().map(({ operation }) => ({ operation, allowed: false, reason })),
      }),
    });

    // Act
    renderRoute(PAGE);

    // Assert
    for (const operation of ['rotate-now', 'turn-off', 'roll-back', 'clear-stuck'] as const) {
      const { button, item } = await operationItem(operation);
      expectDisabled(button);
      expect(item).toHaveTextContent(reason);
    }
  });
});

describe('Operation dialogs', () => {
  it.each([
    ['rotate-now', 'Rotate'],
    ['clear-stuck', 'Clear the stuck rotation'],
  ] as const)(
    'When the operator confirms "%s", then the preview was shown, one POST carries an Idempotency-Key and the workflow page opens',
    async (operation, confirm) => {
      // Arrange
      const calls = serveSecretPageApi({ secret: secretFor(operation) });
      const { user, dialog, router } = await openOperation(operation);

      // Act
      expect(await within(dialog).findByText(anOperationPreview(operation).actions[0]!.cli)).toBeInTheDocument();
      await user.click(within(dialog).getByRole('button', { name: confirm }));

      // Assert
      await waitFor(() => expect(router.state.location.pathname).toBe('/workflows/wf-9'));
      expect(calls.previews).toEqual([{ secretId: 'prod/payments/postgres', body: { operation } }]);
      expect(calls.operations).toHaveLength(1);
      expect(calls.operations[0]).toMatchObject({ secretId: 'prod/payments/postgres', body: { operation } });
      expect(calls.operations[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it('When the preview moves staging labels, then they are listed as Label / From version / To version', async () => {
    // Arrange
    serveSecretPageApi({ secret: aStuckSecretDetail() });

    // Act
    const { dialog } = await openOperation('roll-back');

    // Assert
    const moves = await within(dialog).findByRole('table', { name: 'Staging labels it moves' });
    expect(
      within(moves)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['Label', 'From version', 'To version']);
    const current = within(moves).getByRole('rowheader', { name: 'AWSCURRENT' }).closest('tr')!;
    expect(within(current).getByText('v-new-0002')).toBeInTheDocument();
    expect(within(current).getByText('v-old-0001')).toBeInTheDocument();
  });

  it('When the preview has warnings, then each is shown as a warning', async () => {
    // Arrange
    serveSecretPageApi({
      secret: HEALTHY,
      preview: anOperationPreview('rotate-now', { warnings: ['Applications that cache the password keep the old one until they read it again.'] }),
    });

    // Act
    const { dialog } = await openOperation('rotate-now');

    // Assert
    expect(await within(dialog).findByText('Applications that cache the password keep the old one until they read it again.')).toBeInTheDocument();
  });

  it('When the secret changed since the page loaded and the preview refuses, then the reason is shown and the confirm button is disabled', async () => {
    // Arrange
    serveSecretPageApi({
      secret: aStuckSecretDetail(),
      preview: anOperationPreview('clear-stuck', {
        allowed: false,
        reason: 'No rotation is stuck: AWSPENDING is on the AWSCURRENT version.',
        actions: [],
        labelMoves: [],
      }),
    });

    // Act
    const { dialog } = await openOperation('clear-stuck');

    // Assert
    expect(await within(dialog).findByText('No rotation is stuck: AWSPENDING is on the AWSCURRENT version.')).toBeInTheDocument();
    expect(within(dialog).getByText('Not allowed')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Clear the stuck rotation' })).toBeDisabled();
  });

  it.each([
    ['turn-off', 'Turn off rotation'],
    ['roll-back', 'Roll back'],
  ] as const)('When the operator opens "%s", then confirming needs the "I understand" box ticked first', async (operation, confirm) => {
    // Arrange
    const calls = serveSecretPageApi({ secret: aStuckSecretDetail() });
    const { user, dialog, router } = await openOperation(operation);
    await within(dialog).findByText(anOperationPreview(operation).actions[0]!.cli);
    const button = within(dialog).getByRole('button', { name: confirm });
    expect(button).toBeDisabled();

    // Act
    await user.click(within(dialog).getByRole('checkbox', { name: /^I understand/ }));
    await user.click(button);

    // Assert
    await waitFor(() => expect(router.state.location.pathname).toBe('/workflows/wf-9'));
    expect(calls.operations).toMatchObject([{ body: { operation } }]);
  });

  it('When starting fails and the operator confirms again, then the retry sends the same Idempotency-Key; a new opening gets a new one', async () => {
    // Arrange
    let attempts = 0;
    const calls = serveSecretPageApi({
      secret: HEALTHY,
      operation: () => {
        attempts += 1;
        return attempts === 1
          ? HttpResponse.json(anError('upstream_unavailable', 'Secrets Manager is not reachable.'), { status: 503 })
          : { id: 'wf-9', status: 'pending', location: '/api/v1/workflows/wf-9' };
      },
    });
    const { user, dialog, router } = await openOperation('rotate-now');
    await within(dialog).findByText(anOperationPreview('rotate-now').actions[0]!.cli);

    // Act
    await user.click(within(dialog).getByRole('button', { name: 'Rotate' }));
    expect(await within(dialog).findByText(/Secrets Manager is not reachable\./)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Rotate' }));

    // Assert
    await waitFor(() => expect(router.state.location.pathname).toBe('/workflows/wf-9'));
    expect(calls.operations).toHaveLength(2);
    expect(calls.operations[1]!.idempotencyKey).toBe(calls.operations[0]!.idempotencyKey);
  });

  it('When the dialog is closed and opened again, then the next start uses a new Idempotency-Key', async () => {
    // Arrange
    let attempts = 0;
    const calls = serveSecretPageApi({
      secret: HEALTHY,
      operation: () => {
        attempts += 1;
        return attempts === 1
          ? HttpResponse.json(anError('upstream_unavailable', 'Secrets Manager is not reachable.'), { status: 503 })
          : { id: 'wf-9', status: 'pending', location: '/api/v1/workflows/wf-9' };
      },
    });
    const first = await openOperation('rotate-now');
    await within(first.dialog).findByText(anOperationPreview('rotate-now').actions[0]!.cli);
    await first.user.click(within(first.dialog).getByRole('button', { name: 'Rotate' }));
    await within(first.dialog).findByText(/Secrets Manager is not reachable\./);

    // Act
    await first.user.click(within(first.dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await first.user.click(screen.getByRole('button', { name: operationLabels['rotate-now'] }));
    const second = await screen.findByRole('dialog');
    await within(second).findByText(anOperationPreview('rotate-now').actions[0]!.cli);
    await first.user.click(within(second).getByRole('button', { name: 'Rotate' }));

    // Assert
    await waitFor(() => expect(first.router.state.location.pathname).toBe('/workflows/wf-9'));
    expect(calls.previews).toHaveLength(2);
    expect(calls.operations).toHaveLength(2);
    expect(calls.operations[1]!.idempotencyKey).not.toBe(calls.operations[0]!.idempotencyKey);
  });
});
