import { operationLabels, type Operation } from '@rotation-console/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aFailure, anOperationPreview, aTimeline } from '../../../test/dashboard-fixtures.ts';
import { dashboardApi } from '../../../test/dashboard-handlers.ts';
import { anError } from '../../../test/fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { server } from '../../../test/server.ts';

const TIMELINE = '/secrets/prod%2Fpayments%2Fpostgres/timeline';

const serve = (api: Parameters<typeof dashboardApi>[0] = {}) => {
  const { handlers, calls } = dashboardApi(api);
  server.use(...handlers);
  return calls;
};

/** Opens the page, clicks the operation's button and waits for its preview. */
const openOperation = async (operation: Operation, path = TIMELINE) => {
  const view = renderRoute(path);
  await view.user.click(await screen.findByRole('button', { name: operationLabels[operation] }));
  const dialog = await screen.findByRole('dialog');
  return { ...view, dialog };
};

describe('Secret timeline', () => {
  it('When the timeline loads, then it shows the versions with their labels, the events newest first with workflow links, and the failure', async () => {
    // Arrange
    const calls = serve();

    // Act
    renderRoute(TIMELINE);

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'prod/payments/postgres' })).toBeInTheDocument();
    expect(calls.timelines).toEqual(['prod/payments/postgres']);
    const versions = screen.getByRole('table', { name: 'Versions' });
    expect(within(within(versions).getByRole('rowheader', { name: 'v-new-0002' }).closest('tr')!).getByText('AWSPENDING')).toBeInTheDocument();
    expect(within(within(versions).getByRole('rowheader', { name: 'v-old-0001' }).closest('tr')!).getByText('AWSCURRENT')).toBeInTheDocument();

    const events = screen.getByRole('table', { name: 'Events' });
    const titles = within(events)
      .getAllByRole('rowheader')
      .map((cell) => cell.textContent);
    expect(titles).toEqual(['Version v-new-0002 created', 'Rotation turned on', 'Olivia Operator turned on rotation', 'Rotated to v-old-0001']);
    expect(within(events).getByRole('link', { name: 'Workflow wf-7' })).toHaveAttribute('href', '/workflows/wf-7');
    expect(within(events).getByText('Audit record')).toBeInTheDocument();

    expect(screen.getByText('Rotation failed at setSecret')).toBeInTheDocument();
    expect(screen.getByText('The function cannot reach the database')).toBeInTheDocument();
    const log = screen.getByRole('region', { name: 'Log of this rotation' });
    expect(within(log).getByRole('region', { name: 'createSecret succeeded' })).toBeInTheDocument();
    const failed = within(log).getByRole('region', { name: 'setSecret failed: Task timed out after 30.03 seconds' });
    expect(within(failed).getByText(/password=\[redacted\]/).tagName).toBe('CODE');
    expect(within(screen.getByRole('region', { name: 'How to fix it' })).getByText(/Put the function in the database VPC/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Secret details' })).toHaveAttribute('href', '/secrets/prod%2Fpayments%2Fpostgres');
  });

  it('When the function\u2019s logs do not say how the unfinished rotation ended, then the timeline says the outcome is unknown, not failed', async () => {
    // Arrange
    serve({
      timeline: aTimeline({
        failure: aFailure({ verdict: 'unknown', failedStep: null, cause: 'unknown', summary: 'Rotation outcome unknown \u2014 the function\u2019s logs do not say: the log shows no outcome for createSecret.', log: [] }),
      }),
    });

    // Act
    renderRoute(TIMELINE);

    // Assert
    expect(await screen.findByText('Rotation outcome unknown \u2014 the function\u2019s logs do not say')).toBeInTheDocument();
    expect(screen.queryByText(/^Rotation failed/)).not.toBeInTheDocument();
    expect(screen.queryByText('Cause')).not.toBeInTheDocument();
  });

  it('When the rotation is healthy, then no failure block is shown', async () => {
    // Arrange
    serve({ timeline: aTimeline({ status: 'healthy', failure: null }) });

    // Act
    renderRoute(TIMELINE);

    // Assert
    expect(await screen.findByRole('table', { name: 'Events' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Log of this rotation' })).not.toBeInTheDocument();
    expect(screen.getByText('Healthy')).toBeInTheDocument();
  });

  it('When another service manages the secret, then its timeline names that service as the lists do', async () => {
    // Arrange
    serve({ timeline: aTimeline({ status: 'managed', owningService: 'rds', failure: null }) });

    // Act
    renderRoute(TIMELINE);

    // Assert
    expect(await screen.findByText('Managed by RDS')).toBeInTheDocument();
    expect(screen.queryByText('Managed by another service')).not.toBeInTheDocument();
  });

  it('When the secret does not exist, then the page says so', async () => {
    // Arrange
    serve({ timeline: HttpResponse.json(anError('not_found', 'No such secret.'), { status: 404 }) });

    // Act
    renderRoute('/secrets/nope/timeline');

    // Assert
    expect(await screen.findByText('Secret not found')).toBeInTheDocument();
  });

  it('When the timeline fails to load, then Retry asks again', async () => {
    // Arrange
    let calls = 0;
    serve({
      timeline: () => {
        calls += 1;
        return calls === 1 ? HttpResponse.json(anError('upstream_timeout', 'AWS did not answer in time.'), { status: 504 }) : aTimeline();
      },
    });
    const { user } = renderRoute(TIMELINE);
    expect(await screen.findByText('AWS did not answer in time.')).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('button', { name: 'Retry' }));

    // Assert
    expect(await screen.findByRole('table', { name: 'Events' })).toBeInTheDocument();
  });
});

describe('Operations', () => {
  it.each([
    ['rotate-now', 'Rotate'],
    ['clear-stuck', 'Clear the stuck rotation'],
  ] as const)(
    'When the operator confirms "%s", then the preview was shown, one POST carries an Idempotency-Key and the workflow page opens',
    async (operation, confirm) => {
      // Arrange
      const calls = serve();
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
    serve();

    // Act
    const { dialog } = await openOperation('roll-back');

    // Assert
    const moves = await within(dialog).findByRole('table', { name: 'Staging labels it moves' });
    expect(within(moves).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Label', 'From version', 'To version']);
    const current = within(moves).getByRole('rowheader', { name: 'AWSCURRENT' }).closest('tr')!;
    expect(within(current).getByText('v-new-0002')).toBeInTheDocument();
    expect(within(current).getByText('v-old-0001')).toBeInTheDocument();
  });

  it('When the preview has warnings, then each is shown as a warning', async () => {
    // Arrange
    serve({ preview: anOperationPreview('rotate-now', { warnings: ['Applications that cache the password keep the old one until they read it again.'] }) });

    // Act
    const { dialog } = await openOperation('rotate-now');

    // Assert
    expect(await within(dialog).findByText('Applications that cache the password keep the old one until they read it again.')).toBeInTheDocument();
  });

  it('When the operation is not allowed, then the reason is shown and the confirm button is disabled', async () => {
    // Arrange
    serve({
      preview: anOperationPreview('clear-stuck', { allowed: false, reason: 'No rotation is stuck: AWSPENDING is on the AWSCURRENT version.', actions: [], labelMoves: [] }),
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
    const calls = serve();
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
    const calls = serve({
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
    const calls = serve({
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
