import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../fixtures.ts';
import { TeamAlerts } from '../pages/team-alerts.ts';
import { TeamPortal } from '../pages/team-portal.ts';

/** A webhook receiver of the spec's own on 127.0.0.1: keeps each request's headers and raw body. */
const startReceiver = async () => {
  const received: { headers: IncomingHttpHeaders; raw: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rotation-alerts`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

test.describe('Alerts on the team portal', () => {
  test.use({ account: 'pat' });

  test('When pat adds a webhook and sends a test alert, then the receiver gets it with a valid signature and the delivery log says delivered', async ({
    page,
  }) => {
    const receiver = await startReceiver();
    try {
      const name = `E2E webhook ${randomBytes(3).toString('hex')}`;
      await new TeamPortal(page).open();
      const alerts = new TeamAlerts(page);

      const secret = await alerts.addWebhook(name, receiver.url);
      // The URL is a credential: the table shows its host and a masked path, never the path whole.
      const row = alerts.channels().getByRole('row', { name: new RegExp(name) });
      await expect(row).toContainText('127.0.0.1');
      await expect(row).not.toContainText('/rotation-alerts');

      await alerts.sendTest(name);

      await expect.poll(() => receiver.received.filter((r) => JSON.parse(r.raw).type === 'test').length, { timeout: 20_000 }).toBe(1);
      const got = receiver.received.find((r) => JSON.parse(r.raw).type === 'test')!;
      const expected = `sha256=${createHmac('sha256', secret).update(got.raw).digest('hex')}`;
      expect(got.headers['x-rotation-console-signature']).toBe(expected);
      expect(JSON.parse(got.raw)).toMatchObject({ type: 'test', team: 'payments', title: 'Test alert for team payments' });
      await expect(
        alerts
          .deliveries()
          .getByRole('row', { name: new RegExp(name) })
          .first(),
      ).toContainText('Delivered', { timeout: 15_000 });
    } finally {
      await receiver.close();
    }
  });
});
