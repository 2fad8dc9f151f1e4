import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { NewAlertChannel, type AlertChannelKind } from '@rotation-console/contracts';
import { useState } from 'react';
import { errorDetails } from '../../../lib/api-error.ts';
import { useCreateAlertChannel } from '../api/create-alert-channel.ts';

const KINDS: { value: AlertChannelKind; label: string; description: string }[] = [
  { value: 'webhook', label: 'Webhook', description: 'A JSON POST signed with HMAC-SHA256 (X-Rotation-Console-Signature).' },
  { value: 'slack', label: 'Slack', description: 'A Slack incoming webhook URL.' },
  { value: 'email', label: 'Email', description: 'Through the console’s SMTP server.' },
];

/** "Add channel": the form, its field errors (the browser's and the API's), and a webhook's signing secret shown once. */
export function AddAlertChannel({ team, onClose }: { team: string; onClose: () => void }) {
  const [kind, setKind] = useState<AlertChannelKind>('webhook');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [to, setTo] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const create = useCreateAlertChannel();
  const fromApi = Object.fromEntries(errorDetails(create.error).map((d) => [d.path.split('.')[0]!, d.message]));
  const errors = { ...fromApi, ...local };

  const submit = () => {
    const input = kind === 'email' ? { kind, name, to: to.split(/[\s,;]+/).filter(Boolean) } : { kind, name, url: url.trim() };
    const parsed = NewAlertChannel.safeParse(input);
    if (!parsed.success) {
      setLocal(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'name'), i.message])));
      return;
    }
    setLocal({});
    create.mutate({ team, channel: parsed.data });
  };

  if (create.data) {
    return (
      <Modal
        visible
        onDismiss={onClose}
        header="Channel added"
        footer={
          <Box float="right">
            <Button variant="primary" onClick={onClose}>
              Done
            </Button>
          </Box>
        }
      >
        <SpaceBetween size="m">
          <Box>{`${create.data.channel.name} sends the alerts of team ${team}.`}</Box>
          {create.data.signingSecret && (
            <Alert type="warning" header="Copy the signing secret now">
              <SpaceBetween size="xs">
                <Box>The receiver verifies each request with it. It is shown only this once.</Box>
                <Box variant="code" data-testid="signing-secret">
                  {create.data.signingSecret}
                </Box>
              </SpaceBetween>
            </Alert>
          )}
        </SpaceBetween>
      </Modal>
    );
  }

  return (
    <Modal visible onDismiss={onClose} header="Add channel" size="medium">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>
                Cancel
              </Button>
              <Button variant="primary" loading={create.isPending}>
                Add channel
              </Button>
            </SpaceBetween>
          }
          errorText={create.error && Object.keys(fromApi).length === 0 ? create.error.message : undefined}
        >
          <SpaceBetween size="m">
            <FormField label="Channel type">
              <RadioGroup value={kind} onChange={({ detail }) => setKind(detail.value as AlertChannelKind)} items={KINDS} ariaLabel="Channel type" />
            </FormField>
            <FormField label="Name" errorText={errors.name}>
              <Input value={name} onChange={({ detail }) => setName(detail.value)} ariaLabel="Name" placeholder="On-call webhook" />
            </FormField>
            {kind === 'email' ? (
              <FormField label="Recipients" description="Email addresses, separated by commas." errorText={errors.to}>
                <Input value={to} onChange={({ detail }) => setTo(detail.value)} ariaLabel="Recipients" placeholder="team@example.com" />
              </FormField>
            ) : (
              <FormField label="URL" description="https:// (http:// only to this machine). The console never shows it whole again." errorText={errors.url}>
                <Input value={url} onChange={({ detail }) => setUrl(detail.value)} ariaLabel="URL" placeholder="https://hooks.example.com/rotation" />
              </FormField>
            )}
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
