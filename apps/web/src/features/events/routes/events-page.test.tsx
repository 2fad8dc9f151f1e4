import type { EventsSetupPreview, EventsStatus } from '@rotation-console/contracts';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderRoute } from '../../../test/render.tsx';
import { server } from '../../../test/server.ts';

const aStatus = (overrides: Partial<EventsStatus> = {}): EventsStatus => ({
  consuming: true,
  queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/rotation-console-events',
  ruleState: 'ENABLED',
  ruleName: 'rotation-console-secretsmanager-events',
  lastMessageAt: '2026-12-07T17:00:00.000Z',
  lastError: null,
  recentEvents: [
    {
      eventId: 'e1',
      eventName: 'RotationFailed',
      accountId: '123456789012',
      region: 'us-east-1',
      secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/orders-db-AbCdEf',
      eventTime: '2026-12-07T16:59:58.000Z',
      receivedAt: '2026-12-07T17:00:00.000Z',
      outcome: 'updated',
    },
  ],
  poisonMessages: [
    {
      messageId: 'm1',
      reason: 'The message is not JSON.',
      receiveCount: 1,
      eventId: null,
      detailType: null,
      bodyBytes: 12,
      setAsideAt: '2026-12-07T17:00:01.000Z',
    },
  ],
  setup: null,
  ...overrides,
});

const aPreview: EventsSetupPreview = {
  accountId: '123456789012',
  region: 'us-east-1',
  ruleName: 'rotation-console-secretsmanager-events',
  queueName: 'rotation-console-events',
  deadLetterQueueName: 'rotation-console-events-dlq',
  eventPattern: '{}',
  steps: [],
  cliSession: 'aws events put-rule --region us-east-1 --name rotation-console-secretsmanager-events',
  configuredQueueUrl: null,
};

describe('Rotation events page (/events)', () => {
  it('When an admin opens it, then it shows the consumer, the messages set aside with their reason, and the last events', async () => {
    // Arrange
    server.use(
      http.get('/api/v1/events/status', () => HttpResponse.json(aStatus())),
      http.post('/api/v1/events/setup-previews', () => HttpResponse.json(aPreview)),
    );

    // Act
    renderRoute('/events');

    // Assert
    expect(await screen.findByText('Consuming')).toBeInTheDocument();
    const aside = await screen.findByRole('table', { name: 'Messages set aside' });
    expect(within(aside).getAllByRole('row')[1]).toHaveTextContent('The message is not JSON.');
    const events = screen.getByRole('table', { name: 'Last events' });
    expect(within(events).getAllByRole('row')[1]).toHaveTextContent('RotationFailed');
    expect(within(events).getAllByRole('row')[1]).toHaveTextContent('updated');
    expect(screen.getByRole('button', { name: 'Create rule and queue' })).toBeEnabled();
  });
});
