import { AlertChannelParams, AlertDeliveriesQuery, NewAlertChannel, TeamParams, type Action } from '@rotation-console/contracts';
import { Router, type Request } from 'express';
import type { AuditTrail } from '../../platform/audit-trail.ts';
import { isAllowed } from '../../platform/auth.ts';
import { ConflictError, InputError, NotAllowedError, NotFoundError, OutOfScopeError } from '../../platform/errors.ts';
import { parseInput } from '../../platform/validation.ts';
import type { Alerts } from './alerts.module.ts';
import { ChannelUrlError, checkChannelUrl } from './channel-url.ts';

/**
 * A team's alert channels and delivery log (the portal's Alerts section). The team's operators
 * and admins; a viewer gets 403; another team's operator gets 404, as for a secret it may not see.
 */
const authorizeTeam = (req: Request, action: Action, team: string) => {
  if (isAllowed(req.principal, action, { type: 'team', team })) return;
  if (req.principal.roles.includes('operator') && !req.principal.roles.includes('viewer')) {
    throw new OutOfScopeError({ message: `Team "${team}" was not found.` });
  }
  throw new NotAllowedError({ message: `You are not allowed to ${action} on team ${team}.` });
};

/** The audit log's subject of a channel. */
export const channelSubject = (team: string, channelId: string) => `team:${team}/alert-channel/${channelId}`;

export const createAlertsRouter = ({ alerts, audit, now = () => new Date() }: { alerts: Alerts; audit: AuditTrail; now?: () => Date }) => {
  const router = Router();
  const base = '/api/v1/teams/:team';

  router.get(`${base}/alert-channels`, async (req, res) => {
    const { team } = parseInput(TeamParams, req.params, 'path parameters');
    authorizeTeam(req, 'alerts:read', team);
    res.json({ items: (await alerts.channels.ofTeam(team)).map((c) => c.view) });
  });

  router.post(`${base}/alert-channels`, async (req, res) => {
    const { team } = parseInput(TeamParams, req.params, 'path parameters');
    const input = parseInput(NewAlertChannel, req.body, 'request body');
    authorizeTeam(req, 'alerts:manage', team);
    if (input.kind !== 'email') {
      try {
        await checkChannelUrl(input.url);
      } catch (error) {
        if (error instanceof ChannelUrlError) throw new InputError({ message: error.message, details: [{ path: 'url', message: error.message }] });
        throw error;
      }
    }
    const existing = await alerts.channels.ofTeam(team);
    if (existing.some((c) => c.view.name.toLowerCase() === input.name.toLowerCase())) {
      throw new InputError({
        message: `Team ${team} already has a channel named "${input.name}".`,
        details: [{ path: 'name', message: `Team ${team} already has a channel named "${input.name}".` }],
      });
    }
    const created = await alerts.channels.create(team, input, req.principal.name, now());
    // The masked destination only: a URL and a signing secret are credentials.
    const { name, kind, destination } = created.channel;
    await audit.record(req, {
      action: 'alert-channel.add',
      subject: channelSubject(team, created.channel.id),
      outcome: 'succeeded',
      after: { name, kind, destination },
    });
    res.status(201).json(created);
  });

  router.delete(`${base}/alert-channels/:channelId`, async (req, res) => {
    const { team, channelId } = parseInput(AlertChannelParams, req.params, 'path parameters');
    authorizeTeam(req, 'alerts:manage', team);
    const channel = await alerts.channels.byId(team, channelId);
    if (!channel) throw new NotFoundError({ message: `Alert channel ${channelId} was not found.` });
    if (channel.view.source === 'teams-file') throw new ConflictError({ message: `"${channel.view.name}" comes from the teams file; remove it there.` });
    await alerts.channels.remove(team, channelId);
    const { name, kind, destination } = channel.view;
    await audit.record(req, {
      action: 'alert-channel.remove',
      subject: channelSubject(team, channelId),
      outcome: 'succeeded',
      before: { name, kind, destination },
    });
    res.status(204).end();
  });

  router.post(`${base}/alert-channels/:channelId/tests`, async (req, res) => {
    const { team, channelId } = parseInput(AlertChannelParams, req.params, 'path parameters');
    authorizeTeam(req, 'alerts:manage', team);
    const channel = await alerts.channels.byId(team, channelId);
    if (!channel) throw new NotFoundError({ message: `Alert channel ${channelId} was not found.` });
    res.status(202).json({ alertId: await alerts.sendTest(team, channelId, channel.view.name) });
  });

  router.get(`${base}/alert-deliveries`, async (req, res) => {
    const { team } = parseInput(TeamParams, req.params, 'path parameters');
    const query = parseInput(AlertDeliveriesQuery, req.query, 'query parameters');
    authorizeTeam(req, 'alerts:read', team);
    res.json({ items: await alerts.outbox.deliveries(team, query.channelId, query.limit) });
  });

  return router;
};
