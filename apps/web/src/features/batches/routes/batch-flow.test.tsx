import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Batch, BatchAccepted, BatchPreview, ErrorBody } from '@rotation-console/contracts';
import { aBatch, aBatchItem, aBatchPreview, aRefusedPlan, aSecretPlan } from '../../../test/batch-fixtures.ts';
import { aDashboardPage, aDashboardRow } from '../../../test/dashboard-fixtures.ts';
import { serveDashboardApi } from '../../../test/dashboard-handlers.ts';
import { aMe, demoPeople, signedInAs } from '../../../test/identity-fixtures.ts';
import { aPortal } from '../../../test/portal-fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { aLambdaFunctionList, secretArn } from '../../../test/rotation-fixtures.ts';
import { lambdaArn } from '../../../test/fixtures.ts';
import { server } from '../../../test/server.ts';

const CARDS = 'prod/payments/cards-db';
const ORDERS = 'prod/payments/orders-db';

/** The batch API as a test drives it: what the flow sent, and the batch it answers with, poll by poll. Each preview is kept as preview-1, preview-2, ... */
const batchApi = ({ polls, preview, refuseStarts = [] }: { polls: Batch[]; preview?: BatchPreview; refuseStarts?: ErrorBody[] }) => {
  const sent = { previews: [] as unknown[], starts: [] as unknown[], idempotencyKeys: [] as (string | null)[], batchReads: 0 };
  server.use(
    http.get('/api/v1/lambda-functions', () => HttpResponse.json(aLambdaFunctionList())),
    http.post('/api/v1/batches/preview', async ({ request }) => {
      sent.previews.push(await request.json());
      return HttpResponse.json({
        ...(preview ??
          aBatchPreview([
            aSecretPlan(CARDS, 1),
            aSecretPlan(ORDERS, 2),
            aRefusedPlan('prod/identity/users-db', 'not-allowed', 'The secret is team identity\u2019s.'),
          ])),
        previewId: `preview-${sent.previews.length}`,
      });
    }),
    http.post('/api/v1/batches', async ({ request }) => {
      sent.starts.push(await request.json());
      sent.idempotencyKeys.push(request.headers.get('idempotency-key'));
      const refusal = refuseStarts[sent.starts.length - 1];
      if (refusal) return HttpResponse.json(refusal, { status: 409 });
      const accepted: BatchAccepted = {
        id: 'batch-1',
        status: 'running',
        location: '/api/v1/batches/batch-1',
        totals: { selected: 3, included: 2, refused: 1 },
      };
      return HttpResponse.json(accepted, { status: 202 });
    }),
    http.get('/api/v1/batches/batch-1', () => {
      const answer = polls[Math.min(sent.batchReads, polls.length - 1)]!;
      sent.batchReads += 1;
      return HttpResponse.json(answer);
    }),
  );
  return sent;
};

/** A function other secrets use too, which the batch changes (so Start waits for the person's word). */
const SHARED_FUNCTION = 'rotate-orders-postgres';

/** The plan of enabling rotation for CARDS with SHARED_FUNCTION: one shared step that changes it. */
const changingSharedFunction = () =>
  aBatchPreview([aSecretPlan(CARDS, 1)], {
    shared: {
      description: `The function ${SHARED_FUNCTION} for the 1 secret`,
      steps: [{ id: 'grant', kind: 'grant-master-secret-access', title: 'Let the function read the master secret', awsCalls: [], dependsOn: [], cli: null }],
      resources: [{ kind: 'function', id: lambdaArn(SHARED_FUNCTION), owner: 'team payments', use: 'change' }],
      cli: '',
    },
  });

/** From the dashboard to the review of enabling rotation for CARDS with the existing function `functionName`. */
const reviewEnableWith = async (functionName: string) => {
  const rendered = renderRoute('/dashboard');
  const { user } = rendered;
  const table = await screen.findByRole('table', { name: 'Secrets' });
  await user.click(await within(table).findByRole('checkbox', { name: `Select ${CARDS}` }));
  await user.click(screen.getByRole('button', { name: 'Enable rotation' }));
  await user.click(await screen.findByRole('button', { name: /^Lambda rotation function/ }));
  await user.click(await screen.findByRole('option', { name: new RegExp(functionName) }));
  await user.click(screen.getByRole('button', { name: 'Review plan' }));
  await screen.findByRole('table', { name: 'Secrets in the batch' });
  return rendered;
};

describe('Many secrets at once (batches)', () => {
  it(
    'When pat selects two payments secrets on the portal and enables rotation with one function, then the plan shows each secret\u2019s start and the refused one, and Start batch opens the batch page, which follows each secret to its result',
    { timeout: 30_000 },
    async () => {
      // Arrange
      server.use(
        signedInAs(demoPeople.pat),
        http.get('/api/v1/portal', () => HttpResponse.json(aPortal())),
      );
      const refused = aBatchItem('prod/identity/users-db', {
        status: 'refused',
        workflowId: null,
        refusal: { reason: 'not-allowed', message: 'The secret is team identity\u2019s.' },
        stepsDone: 0,
        currentStep: null,
      });
      const sent = batchApi({
        polls: [
          aBatch([aBatchItem(CARDS), aBatchItem(ORDERS, { status: 'pending', stepsDone: 0, currentStep: null }), refused]),
          aBatch([
            aBatchItem(CARDS, { status: 'succeeded', stepsDone: 2, currentStep: null, result: 'Rotation enabled: cron(0 1 ? * SUN *) in a 1h window' }),
            aBatchItem(ORDERS, {
              status: 'failed',
              stepsDone: 1,
              currentStep: 'Turn on rotation (RotateSecret)',
              result: 'AccessDeniedException: not allowed',
            }),
            refused,
          ]),
        ],
      });
      const { user, router } = renderRoute('/portal');
      const table = await screen.findByRole('table', { name: 'Payments secrets' });

      // Act: select, then Enable rotation
      await user.click(await within(table).findByRole('checkbox', { name: `Select ${CARDS}` }));
      await user.click(within(table).getByRole('checkbox', { name: `Select ${ORDERS}` }));
      expect(screen.getByText('2 secrets selected.')).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Enable rotation' }));

      // Act: one configuration
      expect(await screen.findByRole('heading', { level: 1, name: 'Enable rotation for 2 secrets' })).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: /^Lambda rotation function/ }));
      await user.click(await screen.findByRole('option', { name: /rotate-orders-postgres/ }));
      await user.type(screen.getByLabelText('Window duration'), '4h');
      await user.click(screen.getByRole('button', { name: 'Review plan' }));

      // Assert: the plan
      const included = await screen.findByRole('table', { name: 'Secrets in the batch' });
      expect(within(included).getByRole('row', { name: new RegExp(CARDS) })).toHaveTextContent('cron(0 1 ? * SUN *) in a 1h window');
      expect(within(included).getByRole('row', { name: new RegExp(ORDERS) })).toHaveTextContent('cron(0 2 ? * SUN *) in a 1h window');
      expect(within(included).getByRole('row', { name: new RegExp(ORDERS) })).toHaveTextContent('Passed');
      const refusedTable = screen.getByRole('table', { name: 'Refused secrets' });
      expect(within(refusedTable).getByRole('row', { name: /prod\/identity\/users-db/ })).toHaveTextContent('Not yours to change');
      expect(within(refusedTable).getByRole('row', { name: /prod\/identity\/users-db/ })).toHaveTextContent('The secret is team identity\u2019s.');
      expect(screen.getByText('One existing function, rotate-payments, for every secret')).toBeInTheDocument();
      expect(sent.previews).toEqual([
        {
          selection: { kind: 'secrets', secretIds: [secretArn(CARDS), secretArn(ORDERS)] },
          action: {
            action: 'enable',
            schedule: { kind: 'days', days: 30 },
            duration: '4h',
            rotateImmediately: false,
            function: { mode: 'existing', functionArn: aLambdaFunctionList().items[0]!.arn, strategy: 'single-user' },
            network: null,
            acknowledgeSharedFunction: false,
          },
          preflight: true,
        },
      ]);

      // Act: start
      await user.click(screen.getByRole('button', { name: 'Start batch' }));

      // Assert: the batch page, running, then each secret's result
      await waitFor(() => expect(router.state.location.pathname).toBe('/batches/batch-1'));
      // Start sends the request previewed and the id of the plan shown, so the API starts that plan.
      expect(sent.starts).toEqual([{ ...(sent.previews[0] as object), previewId: 'preview-1' }]);
      expect(sent.idempotencyKeys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(await screen.findByText('0 of 2 secrets finished')).toBeInTheDocument();
      expect(await screen.findByText('2 of 2 secrets finished', {}, { timeout: 5000 })).toBeInTheDocument();
      const items = screen.getByRole('table', { name: 'Secrets of the batch' });
      expect(within(items).getByRole('row', { name: new RegExp(CARDS) })).toHaveTextContent('Succeeded');
      expect(within(items).getByRole('row', { name: new RegExp(CARDS) })).toHaveTextContent('Rotation enabled: cron(0 1 ? * SUN *) in a 1h window');
      expect(within(items).getByRole('row', { name: new RegExp(ORDERS) })).toHaveTextContent('AccessDeniedException: not allowed');
      expect(within(items).getByRole('row', { name: /prod\/identity\/users-db/ })).toHaveTextContent('Refused');
      expect(within(items).getByRole('link', { name: CARDS })).toHaveAttribute('href', `/secrets/${encodeURIComponent(CARDS)}`);
      expect(within(items).getByRole('link', { name: `Workflow of ${CARDS}` })).toHaveAttribute('href', '/workflows/wf-cards-db');
      // The batch has ended (one secret failed): the page says so and no longer says it updates.
      expect(screen.getAllByText('1 succeeded, 1 failed')[0]).toBeInTheDocument();
      expect(screen.queryByText('Updates every second while it runs.')).not.toBeInTheDocument();
    },
  );

  it('When an admin selects every secret matching the dashboard\u2019s filter and turns rotation off, then the plan is asked for with the filter, not the page\u2019s rows', async () => {
    // Arrange
    server.use(signedInAs(aMe()));
    serveDashboardApi({
      page: aDashboardPage([aDashboardRow({ name: CARDS }), aDashboardRow({ name: ORDERS })], { total: 140 }),
    });
    const sent = batchApi({ polls: [aBatch([])] });
    const { user } = renderRoute('/dashboard?team=payments');
    const table = await screen.findByRole('table', { name: 'Secrets' });
    await within(table).findByRole('checkbox', { name: `Select ${CARDS}` });

    // Act
    await user.click(screen.getByRole('button', { name: 'Select all 140 matching this filter' }));
    expect(screen.getByText('All 140 secrets matching this filter selected.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Turn off rotation' }));

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'Turn off rotation for 140 secrets' })).toBeInTheDocument();
    await screen.findByRole('table', { name: 'Secrets in the batch' });
    expect(sent.previews).toEqual([{ selection: { kind: 'filter', filter: { team: 'payments' } }, action: { action: 'disable' } }]);
  });

  it('When the batch changes a function that rotates other secrets too, then Start batch waits for the person\u2019s word and the request carries it', async () => {
    // Arrange
    server.use(signedInAs(aMe()));
    serveDashboardApi({ page: aDashboardPage([aDashboardRow({ name: CARDS })]) });
    const shared = SHARED_FUNCTION;
    const sent = batchApi({
      polls: [aBatch([])],
      preview: changingSharedFunction(),
    });
    const { user } = await reviewEnableWith(shared);
    const start = screen.getByRole('button', { name: 'Start batch' });
    const disabledBefore = start.hasAttribute('disabled') || start.getAttribute('aria-disabled') === 'true';

    // Act
    await user.click(screen.getByRole('checkbox', { name: new RegExp(`I understand that Start batch changes ${shared}`) }));
    await user.click(screen.getByRole('button', { name: 'Start batch' }));

    // Assert
    expect(disabledBefore).toBe(true);
    await waitFor(() => expect(sent.starts).toHaveLength(1));
    expect(sent.previews[0]).toMatchObject({ action: { acknowledgeSharedFunction: false } });
    expect(sent.starts[0]).toMatchObject({ action: { acknowledgeSharedFunction: true }, previewId: 'preview-1' });
  });

  it('When the plan the person agreed to expires and is previewed again, then Start batch waits for the person\u2019s word again', async () => {
    // Arrange: a batch that changes a shared function; the first Start is refused as expired.
    server.use(signedInAs(aMe()));
    serveDashboardApi({ page: aDashboardPage([aDashboardRow({ name: CARDS })]) });
    const shared = SHARED_FUNCTION;
    const expired = 'The preview preview-1 expired at 2026-12-07T10:15:00.000Z; preview again.';
    const sent = batchApi({
      polls: [aBatch([])],
      refuseStarts: [{ error: { code: 'conflict', message: expired, details: [{ path: 'previewId', message: expired }] }, requestId: 'req-1' }],
      preview: changingSharedFunction(),
    });
    const { user } = await reviewEnableWith(shared);
    const word = () => screen.getByRole('checkbox', { name: new RegExp(`I understand that Start batch changes ${shared}`) });
    await user.click(word());
    await user.click(screen.getByRole('button', { name: 'Start batch' }));
    await screen.findByText(expired);

    // Act
    await user.click(screen.getByRole('button', { name: 'Preview again' }));
    await waitFor(() => expect(sent.previews).toHaveLength(2));
    await waitFor(() => expect(screen.queryByText(expired)).not.toBeInTheDocument());

    // Assert: unticked, and Start batch waits for it
    expect(word()).not.toBeChecked();
    const start = screen.getByRole('button', { name: 'Start batch' });
    expect(start.hasAttribute('disabled') || start.getAttribute('aria-disabled') === 'true').toBe(true);
  });

  it('When Start answers that the plan shown has expired, then the page says so and Preview again shows a new plan, which Start then sends', async () => {
    // Arrange
    server.use(signedInAs(aMe()));
    serveDashboardApi({ page: aDashboardPage([aDashboardRow({ name: CARDS })]) });
    const expired = 'The preview preview-1 expired at 2026-12-07T10:15:00.000Z; preview again.';
    const sent = batchApi({
      polls: [aBatch([])],
      refuseStarts: [{ error: { code: 'conflict', message: expired, details: [{ path: 'previewId', message: expired }] }, requestId: 'req-1' }],
    });
    const { user, router } = renderRoute('/dashboard');
    const table = await screen.findByRole('table', { name: 'Secrets' });
    await user.click(await within(table).findByRole('checkbox', { name: `Select ${CARDS}` }));
    await user.click(screen.getByRole('button', { name: 'Turn off rotation' }));
    await screen.findByRole('table', { name: 'Secrets in the batch' });

    // Act: Start, refused
    await user.click(screen.getByRole('button', { name: 'Start batch' }));

    // Assert: the reason, once, and the way back
    const alert = await screen.findByText(expired);
    expect(screen.getAllByText(expired)).toHaveLength(1);
    expect(screen.getByText('The plan shown can no longer be started')).toBeInTheDocument();
    expect(alert).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/batches/new');

    // Act: preview again, then Start
    await user.click(screen.getByRole('button', { name: 'Preview again' }));
    await waitFor(() => expect(sent.previews).toHaveLength(2));
    await waitFor(() => expect(screen.queryByText(expired)).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole('button', { name: 'Start batch' })).toBeEnabled());
    await user.click(screen.getByRole('button', { name: 'Start batch' }));

    // Assert: the new plan's id, under a new key
    await waitFor(() => expect(router.state.location.pathname).toBe('/batches/batch-1'));
    expect(sent.starts.map((s) => (s as { previewId?: string }).previewId)).toEqual(['preview-1', 'preview-2']);
    expect(sent.idempotencyKeys[1]).not.toBe(sent.idempotencyKeys[0]);
  });

  it('When a viewer opens the dashboard, then the secrets table offers no selection and no batch action', async () => {
    // Arrange
    server.use(signedInAs(demoPeople.vic));
    serveDashboardApi();

    // Act
    renderRoute('/dashboard');

    // Assert
    const table = await screen.findByRole('table', { name: 'Secrets' });
    expect(await within(table).findByRole('link', { name: 'prod/identity/mysql' })).toBeInTheDocument();
    expect(within(table).queryAllByRole('checkbox')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Enable rotation' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Select all/ })).not.toBeInTheDocument();
  });

  it('When pat selects on the portal, then secrets of other teams cannot be checked', async () => {
    // Arrange
    const portal = aPortal();
    portal.teams[0]!.secrets.push(aDashboardRow({ name: 'prod/identity/users-db', team: 'identity' }));
    server.use(
      signedInAs(demoPeople.pat),
      http.get('/api/v1/portal', () => HttpResponse.json(portal)),
    );

    // Act
    renderRoute('/portal');

    // Assert
    const table = await screen.findByRole('table', { name: 'Payments secrets' });
    expect(await within(table).findByRole('checkbox', { name: `Select ${CARDS}` })).toBeEnabled();
    expect(within(table).getByRole('checkbox', { name: 'Select prod/identity/users-db' })).toBeDisabled();
  });
});
