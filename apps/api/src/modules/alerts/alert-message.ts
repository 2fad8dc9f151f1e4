import type { AlertRule } from '@rotation-console/contracts';
import { redactText } from '../../platform/redact-text.ts';

/**
 * An alert as the outbox stores it, before a channel's format. Built only from the index's
 * fields (names, ARNs, dates, steps) and the diagnosis's text (redacted function words, the
 * fix); never from a secret's value. Every channel renders the same facts.
 */
export interface AlertSecretRef {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  /** The secret's page on the console (PUBLIC_URL), when the console knows its address. */
  url: string | null;
}

export interface AlertMessage {
  rule: AlertRule;
  team: string;
  title: string;
  /** One paragraph in words. */
  summary: string;
  secret: AlertSecretRef | null;
  /** Named facts, in order: "Step" -> "setSecret", "Fix" -> ... */
  fields: { label: string; value: string }[];
  /** Digest and folded messages: one line per secret or alert. */
  items: { text: string; url: string | null }[];
  occurredAt: string;
}

/** Text that came from outside the console (a function's log) is redacted and cut before it goes into an alert. */
export const outsideText = (text: string, max = 500): string => {
  const clean = redactText(text).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
};

/** The JSON body of a webhook (documented in docs/alerts.md); `timestamp` is also the signed header's, so a replay is told by its age. */
export const webhookBody = (alertId: string, message: AlertMessage, timestamp: number) => ({
  id: alertId,
  type: message.rule,
  team: message.team,
  title: message.title,
  summary: message.summary,
  secret: message.secret,
  fields: Object.fromEntries(message.fields.map((f) => [f.label, f.value])),
  items: message.items,
  occurredAt: message.occurredAt,
  timestamp,
});

const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const slackLink = (text: string, url: string | null) => (url ? `<${url}|${slackEscape(text)}>` : slackEscape(text));

/** Slack's incoming webhook format: `text` (the notification) and `blocks` (the message). */
export const slackBody = (message: AlertMessage) => {
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: message.title.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: slackEscape(message.summary).slice(0, 3000) } },
  ];
  if (message.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: message.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: `*${slackEscape(f.label)}*\n${slackEscape(f.value)}`.slice(0, 2000) })),
    });
  }
  if (message.items.length > 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: message.items
          .map((i) => `• ${slackLink(i.text, i.url)}`)
          .join('\n')
          .slice(0, 3000),
      },
    });
  }
  if (message.secret?.url) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the secret' }, url: message.secret.url }] });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Rotation Console · team ${slackEscape(message.team)}` }] });
  return { text: message.title, blocks };
};

/** An email's subject and plain text. */
export const emailContent = (message: AlertMessage) => {
  const lines = [message.summary, ''];
  for (const f of message.fields) lines.push(`${f.label}: ${f.value}`);
  if (message.items.length > 0) {
    lines.push('');
    for (const i of message.items) lines.push(`- ${i.text}${i.url ? ` (${i.url})` : ''}`);
  }
  if (message.secret?.url) lines.push('', `Open the secret: ${message.secret.url}`);
  lines.push('', `Sent by Rotation Console to team ${message.team}.`);
  return { subject: `[Rotation Console] ${message.title}`, text: lines.join('\n') };
};
