import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FreezeWindow, NewFreezeWindow } from '@rotation-console/contracts';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aDashboardRow } from '../../../test/dashboard-fixtures.ts';
import { demoPeople, signedInAs } from '../../../test/identity-fixtures.ts';
import { aPaymentsTeam, aPortal } from '../../../test/portal-fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { server } from '../../../test/server.ts';

const aWindow = (overrides: Partial<FreezeWindow> = {}): FreezeWindow => ({
  id: 'w-1',
  team: 'payments',
  name: 'Release freeze',
  reason: 'Release 42',
  when: { kind: 'once', start: '2026-12-18T17:00:00Z', end: '2027-01-04T08:00:00Z' },
  source: 'portal',
  createdBy: 'Pat',
  createdAt: '2026-12-01T10:00:00Z',
  openNow: null,
  next: { start: '2026-12-18T17:00:00Z', end: '2027-01-04T08:00:00Z' },
  ...overrides,
});

/** The portal of payments with these windows; records what is added and removed. */
const serve = (windows: FreezeWindow[], portal = aPortal()) => {
  const calls = { added: [] as unknown[], removed: [] as string[] };
  let items = [...windows];
  server.use(
    signedInAs(demoPeople.pat),
    http.get('/api/v1/portal', () => HttpResponse.json(portal)),
    http.get('/api/v1/teams/payments/freeze-windows', () => HttpResponse.json({ team: 'payments', items, canEdit: true })),
    http.post('/api/v1/teams/payments/freeze-windows', async ({ request }) => {
      const body = (await request.json()) as NewFreezeWindow;
      calls.added.push(body);
      const added = aWindow({ id: 'w-2', name: body.name, when: body.when, next: null });
      items = [...items, added];
      return HttpResponse.json(added, { status: 201 });
    }),
    http.delete('/api/v1/teams/payments/freeze-windows/:id', ({ params }) => {
      calls.removed.push(params.id as string);
      items = items.filter((w) => w.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return calls;
};

const openForm = async () => {
  const user = userEvent.setup();
  renderRoute('/portal');
  await user.click(await screen.findByRole('button', { name: 'Add freeze window' }));
  return { user, dialog: await screen.findByRole('dialog') };
};

describe('Portal: Freeze windows', () => {
  it("When the team has windows, then each shows in words with when it opens, and the teams file's cannot be removed", async () => {
    serve([
      aWindow({ openNow: { start: '2026-12-07T09:00:00Z', end: '2026-12-07T18:00:00Z' } }),
      aWindow({
        id: 'file-1',
        name: 'Month-end close',
        reason: undefined,
        when: { kind: 'monthly', lastDays: 3, firstDays: 2 },
        source: 'teams-file',
        next: null,
      }),
    ]);

    renderRoute('/portal');

    const table = await screen.findByRole('table', { name: 'Freeze windows' });
    const release = await within(table).findByRole('row', { name: /Release freeze/ });
    expect(release).toHaveTextContent('Once: 2026-12-18 17:00 UTC – 2027-01-04 08:00 UTC');
    expect(release).toHaveTextContent('Open now, until 2026-12-07 18:00 UTC');
    const monthEnd = within(table).getByRole('row', { name: /Month-end close/ });
    expect(monthEnd).toHaveTextContent('Every month: the last 3 days and the first 2 days (UTC)');
    expect(monthEnd).toHaveTextContent('From the teams file');
    expect(within(monthEnd).queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument();
  });

  it('When the end is before the start, then the form says so under End and sends nothing', async () => {
    const calls = serve([]);
    const { user, dialog } = await openForm();

    await user.type(within(dialog).getByLabelText('Name'), 'Release freeze');
    await user.type(within(dialog).getByLabelText('Start'), '2027-01-02T00:00:00Z');
    await user.type(within(dialog).getByLabelText('End'), '2027-01-01T00:00:00Z');
    await user.click(within(dialog).getByRole('button', { name: 'Add freeze window' }));

    expect(await within(dialog).findByText('End must be after the start.')).toBeInTheDocument();
    expect(calls.added).toEqual([]);
  });

  it('When a weekly window is filled in, then it is sent in UTC with its days in week order and listed', async () => {
    const calls = serve([]);
    const { user, dialog } = await openForm();

    await user.type(within(dialog).getByLabelText('Name'), 'Weekend');
    await user.click(within(dialog).getByRole('radio', { name: /Every week/ }));
    await user.click(within(dialog).getByRole('checkbox', { name: /^Saturday/ }));
    await user.click(within(dialog).getByRole('checkbox', { name: /^Friday/ }));
    await user.type(within(dialog).getByLabelText('From (UTC)'), '18:00');
    await user.type(within(dialog).getByLabelText('To (UTC)'), '24:00');
    await user.click(within(dialog).getByRole('button', { name: 'Add freeze window' }));

    await waitFor(() => expect(calls.added).toEqual([{ name: 'Weekend', when: { kind: 'weekly', days: ['FRI', 'SAT'], from: '18:00', to: '24:00' } }]));
    expect(await screen.findByRole('row', { name: /Weekend/ })).toHaveTextContent('Every Fri, Sat 18:00 to 24:00 (UTC)');
  });

  it('When Remove is chosen, then the window is deleted and leaves the list', async () => {
    const calls = serve([aWindow()]);
    const user = userEvent.setup();
    renderRoute('/portal');

    await user.click(await screen.findByRole('button', { name: 'Remove freeze window Release freeze' }));

    await waitFor(() => expect(calls.removed).toEqual(['w-1']));
    expect(await screen.findByText('No freeze window.')).toBeInTheDocument();
  });

  it("When a secret's next rotation falls in a window, then a warning names the secret, the window and its times", async () => {
    const warning = {
      windowName: 'Month-end close',
      start: '2026-12-29T00:00:00Z',
      end: '2027-01-03T00:00:00Z',
      rotationStart: '2026-12-30T00:00:00Z',
      rotationEnd: '2026-12-30T04:00:00Z',
      message: 'Next rotation falls in the freeze window Month-end close (2026-12-29 00:00 UTC – 2027-01-03 00:00 UTC).',
    };
    const team = aPaymentsTeam();
    team.secrets = [...team.secrets, aDashboardRow({ name: 'prod/payments/close-db', team: 'payments', status: 'healthy', freezeWarning: warning })];
    serve([], aPortal([team]));

    renderRoute('/portal');

    expect(await screen.findByText('Rotations in a freeze window: 1')).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Rotations in a freeze window' });
    expect(list).toHaveTextContent(`prod/payments/close-db: ${warning.message}`);
  });
});
