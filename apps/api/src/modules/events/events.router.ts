import { Router } from 'express';
import { authorize } from '../../platform/auth.ts';
import { accepted, idempotencyKeyOf } from '../workflows/start-workflow.ts';
import type { EventsService } from './events.service.ts';
import type { IndexChanges } from './index-changes.ts';

/** Between two comments on an open stream, so proxies keep it open. */
const HEARTBEAT_MS = 15_000;

/** Rotation events: the setup (preview, start), the consumer's status, and the index's changes as server-sent events. */
export const createEventsRouter = ({ events, changes }: { events: EventsService; changes: IndexChanges }) => {
  const router = Router();

  router.get('/api/v1/events/status', async (req, res) => {
    res.json(await events.status(req.principal));
  });

  router.post('/api/v1/events/setup-previews', async (req, res) => {
    res.json(await events.preview(req.principal));
  });

  router.post('/api/v1/events/setups', async (req, res) => {
    accepted(res, await events.startSetup(req, idempotencyKeyOf(req)));
  });

  /**
   * When the index changed: a stream of server-sent events (`index-changed`, data `{ changedAt }`) for
   * an EventSource, or the last change as JSON for a plain GET. Never names or values: the web app reads
   * again what its user may see.
   */
  router.get('/api/v1/index/changes', async (req, res) => {
    authorize(req.principal, 'dashboard:read', { type: 'service' });
    if (req.accepts(['application/json', 'text/event-stream']) !== 'text/event-stream') {
      res.json({ changedAt: await changes.current() });
      return;
    }
    // no-transform: the compression middleware leaves the stream alone (it would hold events back).
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store, no-transform', Connection: 'keep-alive' });
    const send = (text: string) => {
      res.write(text);
      (res as unknown as { flush?: () => void }).flush?.();
    };
    send('retry: 3000\n\n');
    const unsubscribe = changes.subscribe((changedAt) => send(`event: index-changed\ndata: ${JSON.stringify({ changedAt })}\n\n`));
    const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });

  return router;
};
