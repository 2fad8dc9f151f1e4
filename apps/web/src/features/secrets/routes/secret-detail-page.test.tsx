import type { SecretDetail } from '@rotation-console/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aFailure, aTimeline } from '../../../test/dashboard-fixtures.ts';
import { aPage, aSecretDetail, anError, lambdaArn } from '../../../test/fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { serveSecretPageApi } from '../../../test/secret-page-handlers.ts';
import { aFailingNetworkCheck, aPreflightReport } from '../../../test/rotation-fixtures.ts';
import { server } from '../../../test/server.ts';

/** Serves GET /api/v1/secrets/:secretId with `respond` and records the raw request paths. */
const serveSecret = (respond: () => SecretDetail | Response) => {
  const paths: string[] = [];
  server.use(
    http.get('/api/v1/secrets/:secretId', ({ request }) => {
      paths.push(new URL(request.url).pathname);
      const answer = respond();
      return answer instanceof Response ? answer : HttpResponse.json(answer);
    }),
  );
  return paths;
};

const STUCK = '/secrets/prod%2Fpayments%2Fpostgres';

/** The breadcrumb trail's items, without the "..." Cloudscape adds for narrow screens. */
const trail = () =>
  within(screen.getByRole('navigation', { name: 'Breadcrumbs' }))
    .getAllByRole('listitem')
    .map((item) => item.textContent)
    .filter((text) => text !== '...');

const rotatingSecret = aSecretDetail({
  name: 'prod/orders/postgres',
  status: 'pending_or_failed',
  statusReasons: ['A version is staged AWSPENDING since November 27, 2026.', 'The last rotation failed in the setSecret step.'],
  rotation: {
    enabled: true,
    lambdaArn: lambdaArn('rotate-orders-postgres'),
    rules: { automaticallyAfterDays: 30, scheduleExpression: null, duration: '3h' },
    lastRotatedDate: '2026-10-29T17:07:00.000Z',
    nextRotationDate: '2026-11-28T17:07:00.000Z',
  },
  versions: [
    { versionId: 'v-current', stages: ['AWSCURRENT'], createdDate: '2026-10-29T17:07:00.000Z', lastAccessedDate: null },
    { versionId: 'v-previous', stages: ['AWSPREVIOUS'], createdDate: '2026-09-29T17:07:00.000Z', lastAccessedDate: null },
    { versionId: 'v-pending', stages: ['AWSPENDING', 'custom-label'], createdDate: '2026-11-27T10:00:00.000Z', lastAccessedDate: null },
  ],
  tags: [
    { key: 'team', value: 'orders' },
    { key: 'env', value: 'prod' },
  ],
});

const rowOf = (tableName: string, cellText: string) => {
  const row = within(screen.getByRole('table', { name: tableName }))
    .getByText(cellText)
    .closest('tr');
  if (!row) throw new Error(`no row with ${cellText}`);
  return row;
};

describe('Secret page', () => {
  it('When the last rotation failed, then the page checks the rotation by itself and shows the failed check with its fix', async () => {
    // Arrange
    serveSecretPageApi({ secret: rotatingSecret });
    const asked: string[] = [];
    server.use(
      http.post('/api/v1/secrets/:secretId/preflight', ({ params }) => {
        asked.push(String(params.secretId));
        return HttpResponse.json(aPreflightReport([aFailingNetworkCheck()]));
      }),
    );

    // Act
    renderRoute('/secrets/prod%2Forders%2Fpostgres');

    // Assert
    const findings = await screen.findByRole('list', { name: 'Network to the database: findings' });
    expect(findings).toHaveTextContent('aws ec2 authorize-security-group-ingress --group-id sg-0db');
    expect(asked).toEqual(['prod/orders/postgres']);
  });

  it('When the secret\u2019s rotation is healthy, then nothing is checked until "Check rotation" is chosen', async () => {
    // Arrange
    serveSecretPageApi({ secret: { ...rotatingSecret, status: 'healthy', statusReasons: [] } });
    let asked = 0;
    server.use(
      http.post('/api/v1/secrets/:secretId/preflight', () => {
        asked += 1;
        return HttpResponse.json(aPreflightReport());
      }),
    );
    const { user } = renderRoute('/secrets/prod%2Forders%2Fpostgres');
    await screen.findByRole('heading', { name: 'Will this rotation work?' });
    expect(screen.getByText('Not checked yet.')).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('button', { name: 'Check rotation' }));

    // Assert
    expect(await screen.findByText(/Every check passed\./)).toBeInTheDocument();
    expect(asked).toBe(1);
  });

  it('When the secret opens at its Versions tab, then its versions show their staging labels as text', async () => {
    // Arrange
    serveSecretPageApi({ secret: rotatingSecret });

    // Act
    renderRoute('/secrets/prod%2Forders%2Fpostgres?tab=versions');

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'prod/orders/postgres' })).toBeInTheDocument();
    expect(within(rowOf('Versions', 'v-current')).getByText('AWSCURRENT')).toBeInTheDocument();
    expect(within(rowOf('Versions', 'v-previous')).getByText('AWSPREVIOUS')).toBeInTheDocument();
    expect(within(rowOf('Versions', 'v-pending')).getByText('AWSPENDING, custom-label')).toBeInTheDocument();
    expect(within(rowOf('Versions', 'v-current')).getByText('October 29, 2026, 17:07 (UTC)')).toBeInTheDocument();
  });

  it('When a version’s dates are known, then its creation shows with its time and its last access as the day AWS keeps; unknown ones as a dash', async () => {
    // Arrange: the API leaves out a date AWS could not have given (an emulator's made-up one).
    serveSecret(() =>
      aSecretDetail({
        versions: [
          { versionId: 'v-known', stages: ['AWSCURRENT'], createdDate: '2026-10-29T17:07:00.000Z', lastAccessedDate: '2026-11-28T00:00:00.000Z' },
          { versionId: 'v-unknown', stages: ['AWSPREVIOUS'], createdDate: null, lastAccessedDate: null },
        ],
      }),
    );

    // Act
    renderRoute('/secrets/prod%2Forders%2Fpostgres?tab=versions');

    // Assert
    await screen.findByRole('heading', { level: 1, name: 'prod/orders/postgres' });
    const cells = (versionId: string) => [...rowOf('Versions', versionId).querySelectorAll('td')].map((cell) => cell.textContent);
    expect(cells('v-known')).toEqual(['AWSCURRENT', 'October 29, 2026, 17:07 (UTC)', 'November 28, 2026']);
    expect(cells('v-unknown')).toEqual(['AWSPREVIOUS', '-', '-']);
  });

  it('When another service manages the secret, then the page names it as the AWS console does', async () => {
    // Arrange
    serveSecret(() =>
      aSecretDetail({ status: 'managed', owningService: 'rds', statusReasons: ['Rotation is managed by RDS; change it there, not in Secrets Manager.'] }),
    );

    // Act
    renderRoute('/secrets/prod%2Forders%2Fpostgres');

    // Assert
    await screen.findByRole('heading', { level: 1, name: 'prod/orders/postgres' });
    expect(screen.getByText('Managed by RDS')).toBeInTheDocument();
    expect(screen.getByText('RDS')).toBeInTheDocument();
    expect(screen.queryByText(/\brds\b/)).not.toBeInTheDocument();
  });

  it('When the secret loads, then the rotation configuration shows the status, its reasons and the schedule in words', async () => {
    // Arrange
    serveSecretPageApi({ secret: rotatingSecret });

    // Act
    renderRoute('/secrets/prod%2Forders%2Fpostgres');

    // Assert
    await screen.findByRole('heading', { level: 1, name: 'prod/orders/postgres' });
    expect(screen.getByText('Rotation pending or failed')).toBeInTheDocument();
    const reasons = screen.getByRole('list', { name: 'Status reasons' });
    expect(
      within(reasons)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(rotatingSecret.statusReasons);
    expect(screen.getByText('Enabled')).toBeInTheDocument();
    expect(screen.getByText('Every 30 days')).toBeInTheDocument();
    expect(screen.getByText('3 hours')).toBeInTheDocument();
    expect(screen.getByText('rotate-orders-postgres')).toBeInTheDocument();
    expect(screen.getByText('November 28, 2026, 17:07 (UTC)')).toBeInTheDocument();
  });

  it('When the secret opens at its Tags tab, then its details and tags are shown, under one trail: Secrets > name', async () => {
    // Arrange
    serveSecretPageApi({ secret: rotatingSecret });

    // Act
    renderRoute('/secrets/prod%2Forders%2Fpostgres?tab=tags');

    // Assert
    await screen.findByRole('heading', { level: 1, name: 'prod/orders/postgres' });
    expect(screen.getByText(rotatingSecret.arn)).toBeInTheDocument();
    expect(screen.getByText('Orders database credentials')).toBeInTheDocument();
    expect(within(rowOf('Tags', 'env')).getByText('prod')).toBeInTheDocument();
    expect(trail()).toEqual(['Secrets', 'prod/orders/postgres']);
    expect(within(screen.getByRole('navigation', { name: 'Breadcrumbs' })).getByRole('link', { name: 'Secrets' })).toHaveAttribute('href', '/secrets');
  });

  it('When rotation runs on a schedule expression, then the expression is shown', async () => {
    // Arrange
    serveSecret(() =>
      aSecretDetail({
        rotation: {
          enabled: true,
          lambdaArn: lambdaArn('rotate'),
          rules: { automaticallyAfterDays: null, scheduleExpression: 'cron(0 16 ? * SAT *)', duration: '2h' },
          lastRotatedDate: null,
          nextRotationDate: null,
        },
      }),
    );

    // Act
    renderRoute('/secrets/prod%2Forders%2Fpostgres');

    // Assert
    expect(await screen.findByText('cron(0 16 ? * SAT *)')).toBeInTheDocument();
    expect(screen.getByText('2 hours')).toBeInTheDocument();
  });

  it('When the secret name has "/", "+", "=" and "@", then the API is asked for it as one encoded path segment', async () => {
    // Arrange
    const name = 'prod/db+user=app@team.x-1';
    const paths = serveSecret(() => aSecretDetail({ name }));

    // Act
    renderRoute(`/secrets/${encodeURIComponent(name)}`);

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name })).toBeInTheDocument();
    expect(paths).toEqual(['/api/v1/secrets/prod%2Fdb%2Buser%3Dapp%40team.x-1']);
  });

  it('When the secret does not exist, then "Secret not found" links back to the Secrets page', async () => {
    // Arrange
    serveSecret(() => HttpResponse.json(anError('not_found', 'Secrets Manager can’t find the specified secret.'), { status: 404 }));
    server.use(http.get('/api/v1/secrets', () => HttpResponse.json(aPage([]))));
    const { user, router } = renderRoute('/secrets/missing%2Fsecret');
    expect(await screen.findByText('Secret not found')).toBeInTheDocument();
    expect(screen.getByText('missing/secret', { selector: 'strong' })).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('link', { name: 'Back to secrets' }));

    // Assert
    expect(await screen.findByText('No secrets')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/secrets');
  });

  it('When the API fails, then the error message is shown and Retry loads the secret', async () => {
    // Arrange
    let calls = 0;
    serveSecretPageApi();
    serveSecret(() => {
      calls += 1;
      return calls === 1 ? HttpResponse.json(anError('upstream_timeout', 'AWS did not answer in time.'), { status: 504 }) : rotatingSecret;
    });
    const { user } = renderRoute('/secrets/prod%2Forders%2Fpostgres');
    expect(await screen.findByText('AWS did not answer in time.')).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('button', { name: 'Retry' }));

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'prod/orders/postgres' })).toBeInTheDocument();
  });

  it('When the name and description contain HTML, then they render as text', async () => {
    // Arrange
    const name = '<img src=x onerror=alert(1)>';
    serveSecret(() => aSecretDetail({ name, description: '<script>alert(2)</script>', tags: [{ key: '<b>k</b>', value: '<i>v</i>' }] }));

    // Act
    const { container } = renderRoute(`/secrets/${encodeURIComponent(name)}?tab=tags`);

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name })).toBeInTheDocument();
    expect(screen.getByText('<script>alert(2)</script>')).toBeInTheDocument();
    expect(screen.getByText('<i>v</i>')).toBeInTheDocument();
    expect(container.querySelector('img, script, b, i')).toBeNull();
  });

  it('When the user chooses Edit rotation, then the rotation wizard placeholder opens for the secret', async () => {
    // Arrange
    serveSecretPageApi({ secret: rotatingSecret });
    const { user, router } = renderRoute('/secrets/prod%2Forders%2Fpostgres');
    await screen.findByRole('heading', { level: 1, name: 'prod/orders/postgres' });

    // Act
    await user.click(screen.getByRole('button', { name: 'Edit rotation' }));

    // Assert
    expect(await screen.findByRole('heading', { name: 'Rotation wizard' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/secrets/prod%2Forders%2Fpostgres/rotation');
  });
});

describe('Secret page tabs: rotation, versions, timeline, tags', () => {
  it('When the Timeline tab is chosen, then the URL says so and the events show newest first, with links to their workflows', async () => {
    // Arrange
    const calls = serveSecretPageApi();
    const { user, router } = renderRoute(STUCK);
    await screen.findByRole('heading', { level: 1, name: 'prod/payments/postgres' });

    // Act
    await user.click(screen.getByRole('tab', { name: 'Timeline' }));

    // Assert
    const events = await screen.findByRole('table', { name: 'Events' });
    expect(router.state.location.search).toBe('?tab=timeline');
    expect(
      within(events)
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent),
    ).toEqual(['Version v-new-0002 created', 'Rotation turned on', 'Olivia Operator turned on rotation', 'Rotated to v-old-0001']);
    expect(within(events).getByRole('link', { name: 'Workflow wf-7' })).toHaveAttribute('href', '/workflows/wf-7');
    expect(within(events).getByText('Audit record')).toBeInTheDocument();
    expect(calls.timelines).toEqual(['prod/payments/postgres']);
  });

  it('When an old link to the timeline page is opened, then the Secret page opens at its Timeline tab, under Secrets > name', async () => {
    // Arrange
    serveSecretPageApi();

    // Act
    const { router } = renderRoute('/secrets/prod%2Fpayments%2Fpostgres/timeline');

    // Assert
    expect(await screen.findByRole('table', { name: 'Events' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/secrets/prod%2Fpayments%2Fpostgres');
    expect(router.state.location.search).toBe('?tab=timeline');
    expect(screen.getByRole('tab', { name: 'Timeline', selected: true })).toBeInTheDocument();
    expect(trail()).toEqual(['Secrets', 'prod/payments/postgres']);
  });

  it('When the Versions tab is chosen, then the versions and their staging labels show', async () => {
    // Arrange
    serveSecretPageApi();
    const { user, router } = renderRoute(STUCK);
    await screen.findByRole('heading', { level: 1, name: 'prod/payments/postgres' });

    // Act
    await user.click(screen.getByRole('tab', { name: 'Versions' }));

    // Assert
    expect(within(rowOf('Versions', 'v-new-0002')).getByText('AWSPENDING')).toBeInTheDocument();
    expect(within(rowOf('Versions', 'v-old-0001')).getByText('AWSCURRENT')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?tab=versions');
  });

  it('When a rotation is stuck, then the Rotation tab shows the step that failed, the cause, that rotation\u2019s log and the fix', async () => {
    // Arrange
    serveSecretPageApi();

    // Act
    renderRoute(STUCK);

    // Assert
    expect(await screen.findByText('Rotation failed at setSecret')).toBeInTheDocument();
    expect(screen.getByText('The function cannot reach the database')).toBeInTheDocument();
    const log = screen.getByRole('region', { name: 'Log of this rotation' });
    expect(within(log).getByRole('region', { name: 'createSecret succeeded' })).toBeInTheDocument();
    const failed = within(log).getByRole('region', { name: 'setSecret failed: Task timed out after 30.03 seconds' });
    expect(within(failed).getByText(/password=\[redacted\]/).tagName).toBe('CODE');
    expect(within(screen.getByRole('region', { name: 'How to fix it' })).getByText(/Put the function in the database VPC/)).toBeInTheDocument();
  });

  it('When the function\u2019s logs do not say how the unfinished rotation ended, then the page says the outcome is unknown, not failed', async () => {
    // Arrange
    serveSecretPageApi({
      timeline: aTimeline({
        failure: aFailure({
          verdict: 'unknown',
          failedStep: null,
          cause: 'unknown',
          summary: 'Rotation outcome unknown \u2014 the function\u2019s logs do not say: the log shows no outcome for createSecret.',
          log: [],
        }),
      }),
    });

    // Act
    renderRoute(STUCK);

    // Assert
    expect(await screen.findByText('Rotation outcome unknown \u2014 the function\u2019s logs do not say')).toBeInTheDocument();
    expect(screen.queryByText(/^Rotation failed/)).not.toBeInTheDocument();
    expect(screen.queryByText('Cause')).not.toBeInTheDocument();
  });

  it('When the secret is healthy, then its timeline is read only once the Timeline tab opens, and no failure is shown', async () => {
    // Arrange
    const calls = serveSecretPageApi({ secret: aSecretDetail(), timeline: aTimeline({ status: 'healthy', failure: null }) });
    const { user } = renderRoute('/secrets/prod%2Forders%2Fpostgres');
    expect(await screen.findByRole('list', { name: 'Operations' })).toBeInTheDocument();
    expect(calls.timelines).toEqual([]);

    // Act
    await user.click(screen.getByRole('tab', { name: 'Timeline' }));

    // Assert
    expect(await screen.findByRole('table', { name: 'Events' })).toBeInTheDocument();
    expect(calls.timelines).toEqual(['prod/orders/postgres']);
    expect(screen.queryByRole('region', { name: 'Log of this rotation' })).not.toBeInTheDocument();
  });

  it('When the timeline fails to load, then its tab says so and Retry asks again', async () => {
    // Arrange
    let attempts = 0;
    serveSecretPageApi({
      timeline: () => {
        attempts += 1;
        return attempts === 1 ? HttpResponse.json(anError('upstream_timeout', 'AWS did not answer in time.'), { status: 504 }) : aTimeline();
      },
    });
    const { user } = renderRoute(`${STUCK}?tab=timeline`);
    expect(await screen.findByText('AWS did not answer in time.')).toBeInTheDocument();
    expect(screen.getByText('Failed to load the timeline')).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('button', { name: 'Retry' }));

    // Assert
    await waitFor(() => expect(screen.getByRole('table', { name: 'Events' })).toBeInTheDocument());
  });
});
