import { readFileSync } from 'node:fs';
import path from 'node:path';
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { dashboardApi } from '../test/dashboard-handlers.ts';
import { renderRoute } from '../test/render.tsx';
import { server } from '../test/server.ts';

/** The API URLs index.html preloads for the landing page. */
const preloaded = () =>
  [...readFileSync(path.join(import.meta.dirname, '../../index.html'), 'utf8').matchAll(/<link rel="preload" as="fetch" crossorigin href="([^"]+)"/g)]
    .map((match) => match[1]!.replaceAll('&amp;', '&'))
    .sort();

describe('Landing page preloads', () => {
  it('When the dashboard opens without a view in the URL, then its API requests (who the person is, the summary, the first page) are exactly the ones index.html preloads', async () => {
    // Arrange
    const { handlers } = dashboardApi();
    server.use(...handlers);
    const requested: string[] = [];
    const record = ({ request }: { request: Request }) => {
      const url = new URL(request.url);
      if (url.pathname.startsWith('/api/v1/')) requested.push(`${url.pathname}${url.search}`);
    };
    server.events.on('request:start', record);

    // Act
    renderRoute('/dashboard');

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    await waitFor(() => expect(requested.length).toBeGreaterThanOrEqual(3));
    server.events.removeListener('request:start', record);
    expect(preloaded()).toHaveLength(3);
    expect([...new Set(requested)].sort()).toEqual(preloaded());
  });
});
