import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { alertRuleLabels, type AlertChannel, type AlertDelivery } from '@rotation-console/contracts';
import { useState } from 'react';
import { formatDateTime } from '../../../lib/format-date.ts';
import { useCan } from '../../../lib/me.ts';
import { useAlertChannels } from '../api/list-alert-channels.ts';
import { useAlertDeliveries } from '../api/list-alert-deliveries.ts';
import { useRemoveAlertChannel } from '../api/remove-alert-channel.ts';
import { useSendTestAlert } from '../api/send-test-alert.ts';
import { AddAlertChannel } from './add-alert-channel.tsx';

const KIND_LABELS: Record<AlertChannel['kind'], string> = { webhook: 'Webhook', slack: 'Slack', email: 'Email' };

const OUTCOME: Record<AlertDelivery['outcome'], { type: 'success' | 'error' | 'pending' | 'info'; label: string }> = {
  delivered: { type: 'success', label: 'Delivered' },
  retrying: { type: 'pending', label: 'Will retry' },
  failed: { type: 'error', label: 'Failed' },
  folded: { type: 'info', label: 'Sent in a "more alerts" message' },
};

function Channels({ team }: { team: string }) {
  const query = useAlertChannels(team);
  const remove = useRemoveAlertChannel();
  const test = useSendTestAlert();
  const [adding, setAdding] = useState(false);
  const [selected, setSelected] = useState<AlertChannel[]>([]);
  const chosen = selected[0];
  return (
    <>
      <Table
        variant="container"
        loading={query.isPending}
        loadingText="Loading the alert channels"
        items={query.data?.items ?? []}
        selectionType="single"
        selectedItems={selected}
        onSelectionChange={({ detail }) => setSelected(detail.selectedItems)}
        trackBy="id"
        ariaLabels={{ tableLabel: 'Alert channels', itemSelectionLabel: (_s, item) => item.name, selectionGroupLabel: 'Channel' }}
        header={
          <Header
            variant="h2"
            description="Where the team's alerts go: a rotation failed, a secret became overdue, AWSPENDING stuck past the window, and the weekly digest."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button disabled={!chosen} loading={test.isPending} onClick={() => chosen && test.mutate({ team, channelId: chosen.id })}>
                  Send a test alert
                </Button>
                <Button
                  disabled={!chosen || chosen.source !== 'portal'}
                  loading={remove.isPending}
                  onClick={() => chosen && remove.mutate({ team, channelId: chosen.id }, { onSuccess: () => setSelected([]) })}
                >
                  Remove
                </Button>
                <Button variant="primary" onClick={() => setAdding(true)}>
                  Add channel
                </Button>
              </SpaceBetween>
            }
          >
            Alert channels
          </Header>
        }
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (c) => c.name },
          { id: 'kind', header: 'Type', cell: (c) => KIND_LABELS[c.kind] },
          { id: 'destination', header: 'Destination', cell: (c) => c.destination },
          { id: 'source', header: 'Source', cell: (c) => (c.source === 'portal' ? `Portal, by ${c.createdBy ?? 'unknown'}` : 'Teams file') },
          {
            id: 'state',
            header: 'State',
            cell: (c) => (c.problem ? <StatusIndicator type="warning">{c.problem}</StatusIndicator> : <StatusIndicator type="success">Ready</StatusIndicator>),
          },
        ]}
        empty={<Box textAlign="center">No alert channel: the team hears of nothing. Add one.</Box>}
      />
      {test.isSuccess && (
        <Box variant="small" color="text-status-success">
          Test alert queued: the delivery log shows how it went.
        </Box>
      )}
      {(test.error ?? remove.error) && <Box color="text-status-error">{(test.error ?? remove.error)!.message}</Box>}
      {adding && <AddAlertChannel team={team} onClose={() => setAdding(false)} />}
    </>
  );
}

function Deliveries({ team }: { team: string }) {
  const query = useAlertDeliveries(team);
  return (
    <Table
      variant="container"
      loading={query.isPending}
      loadingText="Loading the delivery log"
      items={query.data?.items ?? []}
      ariaLabels={{ tableLabel: 'Delivery log' }}
      header={
        <Header variant="h2" description="Each attempt to deliver an alert, newest first.">
          Delivery log
        </Header>
      }
      columnDefinitions={[
        { id: 'at', header: 'Time', cell: (d) => formatDateTime(new Date(d.at)) },
        { id: 'channel', header: 'Channel', cell: (d) => d.channelName },
        { id: 'rule', header: 'Alert', cell: (d) => `${alertRuleLabels[d.rule]}: ${d.title}` },
        { id: 'attempt', header: 'Attempt', cell: (d) => d.attempt },
        { id: 'outcome', header: 'Outcome', cell: (d) => <StatusIndicator type={OUTCOME[d.outcome].type}>{OUTCOME[d.outcome].label}</StatusIndicator> },
        { id: 'answer', header: 'Answer', cell: (d) => (d.httpStatus !== null ? `HTTP ${d.httpStatus}` : (d.reply ?? '-')) },
        { id: 'error', header: 'Error', cell: (d) => d.error ?? '-' },
      ]}
      empty={<Box textAlign="center">No alert has been sent yet.</Box>}
    />
  );
}

/** The portal's Alerts section: the team's channels and its delivery log, for its operators and admins. */
export function TeamAlerts({ team }: { team: string }) {
  const can = useCan();
  if (!can('alerts:read', { type: 'team', team })) return null;
  return (
    <SpaceBetween size="l">
      <Channels team={team} />
      <Deliveries team={team} />
    </SpaceBetween>
  );
}
