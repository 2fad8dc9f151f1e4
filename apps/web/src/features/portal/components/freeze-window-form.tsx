import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { NewFreezeWindow, WEEKDAYS, type Weekday } from '@rotation-console/contracts';
import { useState } from 'react';
import { errorDetails } from '../../../lib/api-error.ts';
import { useAddFreezeWindow } from '../api/add-freeze-window.ts';

type Kind = 'once' | 'weekly' | 'monthly';

const DAY_LABELS: Record<Weekday, string> = { MON: 'Monday', TUE: 'Tuesday', WED: 'Wednesday', THU: 'Thursday', FRI: 'Friday', SAT: 'Saturday', SUN: 'Sunday' };

interface Draft {
  name: string;
  reason: string;
  kind: Kind;
  start: string;
  end: string;
  days: Weekday[];
  from: string;
  to: string;
  lastDays: string;
  firstDays: string;
}

const EMPTY: Draft = { name: '', reason: '', kind: 'once', start: '', end: '', days: [], from: '', to: '', lastDays: '3', firstDays: '2' };

/** The request the form's fields make (unchecked: the contract's schema says what is wrong). */
const requestOf = (d: Draft): unknown => ({
  name: d.name,
  ...(d.reason.trim() ? { reason: d.reason } : {}),
  when:
    d.kind === 'once'
      ? { kind: 'once', start: d.start.trim(), end: d.end.trim() }
      : d.kind === 'weekly'
        ? { kind: 'weekly', days: d.days, from: d.from.trim(), to: d.to.trim() }
        : { kind: 'monthly', lastDays: Number(d.lastDays || 0), firstDays: Number(d.firstDays || 0) },
});

/** Field path -> the first message for it, from the schema or the API's 400. */
const messagesOf = (issues: readonly { path: string; message: string }[]) => {
  const out: Record<string, string> = {};
  for (const issue of issues) out[issue.path] ??= issue.message;
  return out;
};

/**
 * "Add freeze window": a name and reason, and when: once (start and end, ISO 8601 with a zone), every
 * week (days, and From and To in UTC), or every month (its last days and the next month's first days).
 */
export function FreezeWindowForm({ team, onClose }: { team: string; onClose: () => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const add = useAddFreezeWindow();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const server = add.error ? messagesOf(errorDetails(add.error)) : {};
  const errorAt = (path: string) => errors[path] ?? server[path];

  const submit = () => {
    const parsed = NewFreezeWindow.safeParse(requestOf(draft));
    if (!parsed.success) {
      setErrors(messagesOf(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))));
      return;
    }
    setErrors({});
    add.mutate({ team, window: parsed.data }, { onSuccess: onClose });
  };

  return (
    <Modal
      visible
      onDismiss={onClose}
      header="Add freeze window"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" loading={add.isPending} onClick={submit}>
              Add freeze window
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Form>
          <SpaceBetween size="m">
            {add.error && !errorDetails(add.error).length && (
              <Alert type="error" header="The window was not added">
                {add.error.message}
              </Alert>
            )}
            <FormField label="Name" description="For example: Release freeze, Month-end close." errorText={errorAt('name')}>
              <Input value={draft.name} onChange={({ detail }) => set({ name: detail.value })} ariaLabel="Name" />
            </FormField>
            <FormField label="Reason - optional" errorText={errorAt('reason')}>
              <Input value={draft.reason} onChange={({ detail }) => set({ reason: detail.value })} ariaLabel="Reason" />
            </FormField>
            <FormField label="When" description="Every time is UTC, so daylight saving time never moves a window.">
              <RadioGroup
                value={draft.kind}
                onChange={({ detail }) => set({ kind: detail.value as Kind })}
                ariaLabel="When"
                items={[
                  { value: 'once', label: 'Once', description: 'From a start to an end, such as a release freeze.' },
                  { value: 'weekly', label: 'Every week', description: 'On some days of the week, between two times.' },
                  {
                    value: 'monthly',
                    label: 'Every month',
                    description: 'The last days of each month and the first days of the next, such as month-end close.',
                  },
                ]}
              />
            </FormField>
            {draft.kind === 'once' && (
              <>
                <FormField label="Start" description="ISO 8601 with its zone, such as 2026-12-18T17:00:00Z." errorText={errorAt('when.start')}>
                  <Input value={draft.start} onChange={({ detail }) => set({ start: detail.value })} ariaLabel="Start" placeholder="2026-12-18T17:00:00Z" />
                </FormField>
                <FormField label="End" description="ISO 8601 with its zone, such as 2027-01-04T08:00:00Z." errorText={errorAt('when.end')}>
                  <Input value={draft.end} onChange={({ detail }) => set({ end: detail.value })} ariaLabel="End" placeholder="2027-01-04T08:00:00Z" />
                </FormField>
              </>
            )}
            {draft.kind === 'weekly' && (
              <>
                <FormField label="Days" errorText={errorAt('when.days')}>
                  <SpaceBetween direction="horizontal" size="s">
                    {WEEKDAYS.map((day) => (
                      <Checkbox
                        key={day}
                        checked={draft.days.includes(day)}
                        onChange={({ detail }) =>
                          set({ days: detail.checked ? WEEKDAYS.filter((d) => d === day || draft.days.includes(d)) : draft.days.filter((d) => d !== day) })
                        }
                      >
                        {DAY_LABELS[day]}
                      </Checkbox>
                    ))}
                  </SpaceBetween>
                </FormField>
                <FormField label="From (UTC)" description="HH:MM, such as 18:00." errorText={errorAt('when.from')}>
                  <Input value={draft.from} onChange={({ detail }) => set({ from: detail.value })} ariaLabel="From (UTC)" placeholder="18:00" />
                </FormField>
                <FormField
                  label="To (UTC)"
                  description="HH:MM; at or before From, it is on the next day. 24:00 is the end of the day."
                  errorText={errorAt('when.to')}
                >
                  <Input value={draft.to} onChange={({ detail }) => set({ to: detail.value })} ariaLabel="To (UTC)" placeholder="06:00" />
                </FormField>
              </>
            )}
            {draft.kind === 'monthly' && (
              <>
                <FormField label="Last days of the month" description="0 to 15, from 00:00 UTC." errorText={errorAt('when.lastDays')}>
                  <Input type="number" value={draft.lastDays} onChange={({ detail }) => set({ lastDays: detail.value })} ariaLabel="Last days of the month" />
                </FormField>
                <FormField
                  label="First days of the next month"
                  description="0 to 15, until 24:00 UTC of the last of them."
                  errorText={errorAt('when.firstDays')}
                >
                  <Input
                    type="number"
                    value={draft.firstDays}
                    onChange={({ detail }) => set({ firstDays: detail.value })}
                    ariaLabel="First days of the next month"
                  />
                </FormField>
              </>
            )}
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
