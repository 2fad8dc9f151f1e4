import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { Providers } from '../app/providers.tsx';
import { PAGE_CHUNKS, routes } from '../app/routes.tsx';
import { createQueryClient } from '../lib/query-client.ts';

// The pages are lazy chunks, transformed on their first import. Loaded here, before any test of the
// file starts, so that transform (seconds on a busy machine) is not spent inside a test's wait for
// the page: that wait (testing-library's 5 s) ran out on each file's first test in loaded CI runs.
// The parts a page loads lazily itself (the status chart, the operation dialog) likewise.
await Promise.all([
  ...Object.values(PAGE_CHUNKS).map((load) => load()),
  import('../features/dashboard/components/status-chart.tsx'),
  import('../features/secrets/components/operation-modal.tsx'),
  import('../features/functions/components/update-modal.tsx'),
]);

/** Renders the whole app at `path` with a fresh QueryClient that does not retry. */
export const renderRoute = (path: string) => {
  const queryClient = createQueryClient({ retry: false });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const user = userEvent.setup();
  const view = render(
    <Providers queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>,
  );
  return { ...view, router, queryClient, user };
};
