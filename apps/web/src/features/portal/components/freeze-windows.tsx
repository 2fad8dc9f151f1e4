import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { FreezeWhen, FreezeWindow, PortalTeam } from '@rotation-console/contracts';
import { useState } from 'react';
import { UserText } from '../../../components/user-text.tsx';
import { useFreezeWindows } from '../api/list-freeze-windows.ts';
import { useRemoveFreezeWindow } from '../api/remove-freeze-window.ts';
import { FreezeWindowForm } from './freeze-window-form.tsx';

/** "2026-12-18 17:00 UTC", as the API's messages write a time. */
const utc = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const DAYS = { MON: 'Mon', TUE: 'Tue', WED: 'Wed', THU: 'Thu', FRI: 'Fri', SAT: 'Sat', SUN: 'Sun' } as const;

/** The window in words: "Once: …", "Every Mon, Fri 22:00 to 06:00 the next day (UTC)", "Every month: the last 3 days and the first 2 days (UTC)". */
export const freezeWhenInWords = (when: FreezeWhen): string => {
  switch (when.kind) {
    case 'once':
      return `Once: ${utc(when.start)} – ${utc(when.end)}`;
    case 'weekly':
      return `Every ${when.days.map((d) => DAYS[d]).join(', ')} ${when.from} to ${when.to}${when.to <= when.from ? ' the next day' : ''} (UTC)`;
    case 'monthly': {
      const parts = [
        when.lastDays ? `the last ${when.lastDays} day${when.lastDays === 1 ? '' : 's'}` : null,
        when.firstDays ? `the first ${when.firstDays} day${when.firstDays === 1 ? '' : 's'}` : null,
      ].filter(Boolean);
      return `Every month: ${parts.join(' and ')} (UTC)`;
    }
  }
};

function WindowState({ window }: { window: FreezeWindow }) {
  if (window.openNow) return <StatusIndicator type="warning">{`Open now, until ${utc(window.openNow.end)}`}</StatusIndicator>;
  if (window.next) return <StatusIndicator type="pending">{`Next: ${utc(window.next.start)} – ${utc(window.next.end)}`}</StatusIndicator>;
  return <StatusIndicator type="stopped">Ended</StatusIndicator>;
}

/** The secrets whose next rotation AWS will run inside a freeze window: the console cannot hold AWS's schedule back, so it says so. */
function RotationsInFreeze({ team }: { team: PortalTeam }) {
  const warned = team.secrets.filter((s) => s.freezeWarning);
  if (!warned.length) return null;
  return (
    <Alert type="warning" header={`Rotations in a freeze window: ${warned.length}`}>
      <SpaceBetween size="xxs">
        <span>Secrets Manager rotates on its own schedule; the console cannot stop it. Change the schedule, or rotate earlier.</span>
        <ul aria-label="Rotations in a freeze window">
          {warned.map((s) => (
            <li key={s.arn}>
              <UserText text={s.name} />: {s.freezeWarning!.message}
            </li>
          ))}
        </ul>
      </SpaceBetween>
    </Alert>
  );
}

/**
 * The portal's "Freeze windows": the team's windows (from the teams file, read-only, and those added
 * here), when each is open next, Add and Remove; and which secrets' next rotations fall inside one.
 */
export function FreezeWindows({ team }: { team: PortalTeam }) {
  const query = useFreezeWindows(team.team);
  const remove = useRemoveFreezeWindow();
  const [adding, setAdding] = useState(false);
  const items = query.data?.items ?? [];

  return (
    <SpaceBetween size="s">
      <RotationsInFreeze team={team} />
      {remove.error && (
        <Alert type="error" header="The window was not removed">
          {remove.error.message}
        </Alert>
      )}
      <Table
        variant="container"
        header={
          <Header
            variant="h2"
            counter={query.data ? `(${items.length})` : undefined}
            description="While a window is open, the console starts no rotation of the team's secrets (Save with Rotate immediately, Rotate secret immediately). Turning rotation off and clearing a stuck rotation stay allowed; an admin may override with a reason."
            actions={
              query.data?.canEdit ? (
                <Button onClick={() => setAdding(true)} iconName="add-plus">
                  Add freeze window
                </Button>
              ) : undefined
            }
          >
            Freeze windows
          </Header>
        }
        ariaLabels={{ tableLabel: 'Freeze windows' }}
        loading={query.isPending}
        loadingText="Loading freeze windows"
        items={items}
        columnDefinitions={[
          { id: 'name', header: 'Name', isRowHeader: true, cell: (w) => <UserText text={w.name} /> },
          { id: 'when', header: 'When', cell: (w) => freezeWhenInWords(w.when) },
          { id: 'state', header: 'Status', cell: (w) => <WindowState window={w} /> },
          { id: 'reason', header: 'Reason', cell: (w) => (w.reason ? <UserText text={w.reason} /> : '-') },
          {
            id: 'actions',
            header: 'Actions',
            cell: (w) =>
              w.source === 'teams-file' ? (
                'From the teams file'
              ) : query.data?.canEdit ? (
                <Button
                  variant="inline-link"
                  ariaLabel={`Remove freeze window ${w.name}`}
                  loading={remove.isPending && remove.variables?.windowId === w.id}
                  onClick={() => remove.mutate({ team: team.team, windowId: w.id })}
                >
                  Remove
                </Button>
              ) : null,
          },
        ]}
        empty={<Box textAlign="center">{query.isError ? `Freeze windows could not be loaded: ${query.error.message}` : 'No freeze window.'}</Box>}
      />
      {adding && <FreezeWindowForm team={team.team} onClose={() => setAdding(false)} />}
    </SpaceBetween>
  );
}
