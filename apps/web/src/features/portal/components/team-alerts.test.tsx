import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AlertChannel, AlertDelivery } from '@rotation-console/contracts';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { demoPeople, signedInAs } from '../../../test/identity-fixtures.ts';
import { aPortal } from '../../../test/portal-fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { server } from '../../../test/server.ts';

const aChannel = (over: Partial<AlertChannel> = {}): AlertChannel => ({
  id: 'c1',
  team: 'payments',
  name: 'On-call webhook',
  kind: 'webhook',
  source: 'portal',
  destination: 'hooks.example.com/rota…/abcd',
  problem: null,
  createdAt: '2026-12-01T08:00:00.000Z',
  createdBy: 'Pat',
  ...over,
});

const aDelivery = (over: Partial<AlertDelivery> = {}): AlertDelivery => ({
  id: 'd1',
  at: '2026-12-07T08:00:00.000Z',
  alertId: 'a1',
  channelId: 'c1',
  channelName: 'On-call webhook',
  rule: 'rotation-failed',
  title: 'Rotation failed: prod/payments/orders-db',
  attempt: 1,
  outcome: 'retrying',
  httpStatus: 500,
  reply: null,
  error: 'The receiver answered HTTP 500',
  ...over,
});

const alertsApi = (channels: AlertChannel[] = [aChannel()], deliveries: AlertDelivery[] = [aDelivery()]) => {
  const calls = { created: [] as unknown[], tested: [] as string[] };
  server.use(
    signedInAs(demoPeople.pat),
    http.get('/api/v1/portal', () => HttpResponse.json(aPortal())),
    http.get('/api/v1/teams/payments/alert-channels', () => HttpResponse.json({ items: channels })),
    http.get('/api/v1/teams/payments/alert-deliveries', () => HttpResponse.json({ items: deliveries })),
    http.post('/api/v1/teams/payments/alert-channels/:id/tests', ({ params }) => {
      calls.tested.push(String(params.id));
      return HttpResponse.json({ alertId: 'a2' }, { status: 202 });
    }),
    http.post('/api/v1/teams/payments/alert-channels', async ({ request }) => {
      const body = (await request.json()) as { url?: string };
      calls.created.push(body);
      if (body.url?.startsWith('http://'))
        return HttpResponse.json(
          {
            error: {
              code: 'invalid_input',
              message: 'The URL must start with https://.',
              details: [{ path: 'url', message: 'The URL must start with https://.' }],
            },
            requestId: 'r1',
          },
          { status: 400 },
        );
      return HttpResponse.json({ channel: aChannel({ id: 'c2', name: 'New hook' }), signingSecret: 'whsec_shown-once' }, { status: 201 });
    }),
  );
  return calls;
};

describe('The portal\u2019s Alerts section', () => {
  it('When Pat opens the portal, then the team\u2019s channels show masked and the delivery log shows each attempt', async () => {
    alertsApi();
    renderRoute('/portal');

    const channels = await screen.findByRole('table', { name: 'Alert channels' });
    expect(await within(channels).findByText('hooks.example.com/rota…/abcd')).toBeInTheDocument();
    const log = screen.getByRole('table', { name: 'Delivery log' });
    expect(await within(log).findByText('HTTP 500')).toBeInTheDocument();
    expect(within(log).getByText('Will retry')).toBeInTheDocument();
  });

  it('When a channel is selected and "Send a test alert" is chosen, then the API is asked to send one to it', async () => {
    const calls = alertsApi();
    renderRoute('/portal');
    const channels = await screen.findByRole('table', { name: 'Alert channels' });
    await userEvent.click(await within(channels).findByRole('radio', { name: 'On-call webhook' }));

    await userEvent.click(screen.getByRole('button', { name: 'Send a test alert' }));

    await waitFor(() => expect(calls.tested).toEqual(['c1']));
    expect(await screen.findByText(/Test alert queued/)).toBeInTheDocument();
  });

  it('When a channel is added with an http:// URL, then the API\u2019s reason shows on the URL field; with a good one, the signing secret shows once', async () => {
    const calls = alertsApi([]);
    renderRoute('/portal');
    await userEvent.click(await screen.findByRole('button', { name: 'Add channel' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Name'), 'New hook');
    await userEvent.type(within(dialog).getByLabelText('URL'), 'http://hooks.example.com/x');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add channel' }));
    expect(await within(dialog).findByText('The URL must start with https://.')).toBeInTheDocument();

    await userEvent.clear(within(dialog).getByLabelText('URL'));
    await userEvent.type(within(dialog).getByLabelText('URL'), 'https://hooks.example.com/x');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add channel' }));

    expect(await screen.findByText('whsec_shown-once')).toBeInTheDocument();
    expect(calls.created).toEqual([
      { kind: 'webhook', name: 'New hook', url: 'http://hooks.example.com/x' },
      { kind: 'webhook', name: 'New hook', url: 'https://hooks.example.com/x' },
    ]);
  });

  it('When the name is left empty, then the form says so before asking the API', async () => {
    const calls = alertsApi([]);
    renderRoute('/portal');
    await userEvent.click(await screen.findByRole('button', { name: 'Add channel' }));
    const dialog = await screen.findByRole('dialog');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Add channel' }));

    expect(await within(dialog).findByText('Enter a name for the channel')).toBeInTheDocument();
    expect(calls.created).toEqual([]);
  });

  it('When a channel comes from the teams file, then it cannot be removed on the portal', async () => {
    alertsApi([aChannel({ id: 'file-1', name: 'Team Slack', kind: 'slack', source: 'teams-file', createdBy: null })]);
    renderRoute('/portal');
    const channels = await screen.findByRole('table', { name: 'Alert channels' });

    await userEvent.click(await within(channels).findByRole('radio', { name: 'Team Slack' }));

    expect(within(channels).getByText('Teams file')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Send a test alert' })).toBeEnabled();
  });
});
