import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aSecretDetail } from '../../../test/fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { serveSecretPageApi } from '../../../test/secret-page-handlers.ts';

const message = 'Next rotation falls in the freeze window Month-end close (2026-12-29 00:00 UTC – 2027-01-03 00:00 UTC).';

describe('Secret page: the freeze window warning', () => {
  it("When the secret's next rotation falls in its team's freeze window, then a warning names the window and its times", async () => {
    serveSecretPageApi({
      secret: aSecretDetail({
        name: 'prod/payments/postgres',
        freezeWarning: {
          windowName: 'Month-end close',
          start: '2026-12-29T00:00:00Z',
          end: '2027-01-03T00:00:00Z',
          rotationStart: '2026-12-30T00:00:00Z',
          rotationEnd: '2026-12-31T00:00:00Z',
          message,
        },
      }),
    });

    renderRoute('/secrets/prod%2Fpayments%2Fpostgres');

    expect(await screen.findByText('Next rotation falls in a freeze window')).toBeInTheDocument();
    expect(screen.getByText(new RegExp(message.replace(/[().]/g, '\\$&')))).toBeInTheDocument();
  });

  it('When no window is in the way, then the page shows no such warning', async () => {
    serveSecretPageApi({ secret: aSecretDetail({ name: 'prod/payments/postgres' }) });

    renderRoute('/secrets/prod%2Fpayments%2Fpostgres');

    expect(await screen.findByRole('heading', { level: 1, name: 'prod/payments/postgres' })).toBeInTheDocument();
    expect(screen.queryByText('Next rotation falls in a freeze window')).not.toBeInTheDocument();
  });
});
