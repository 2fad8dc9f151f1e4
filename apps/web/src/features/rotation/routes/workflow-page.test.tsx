import type { Workflow } from '@rotation-console/contracts';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { anError } from '../../../test/fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import { aWorkflow, aWorkflowStep, secretArn } from '../../../test/rotation-fixtures.ts';
import { server } from '../../../test/server.ts';

/** Serves GET /api/v1/workflows/:id with the answers in turn (the last one again once they run out). */
const serveWorkflow = (...answers: (Workflow | Response)[]) => {
  const paths: string[] = [];
  server.use(
    http.get('/api/v1/workflows/:workflowId', ({ request }) => {
      paths.push(new URL(request.url).pathname);
      const answer = answers[Math.min(paths.length - 1, answers.length - 1)];
      if (!answer) throw new Error('no answer');
      return answer instanceof Response ? answer.clone() : HttpResponse.json(answer);
    }),
  );
  return paths;
};

const rowOf = (text: string) => {
  const row = within(screen.getByRole('table', { name: 'Workflow steps' }))
    .getByText(text)
    .closest('tr');
  if (!row) throw new Error(`no row with ${text}`);
  return row;
};

/** The value shown next to a label of a key-value list. */
const valueOf = (label: string) => screen.getByText(label).closest('dt')?.nextElementSibling;

const started = { startedAt: '2026-11-30T10:00:01.000Z' };

describe('Workflow page', () => {
  it('When the workflow is running, then it polls until it has succeeded and shows "Rotation succeeded"', async () => {
    // Arrange
    const running = aWorkflow({
      status: 'running',
      steps: [
        aWorkflowStep({ status: 'running', attempts: 1, ...started }),
        aWorkflowStep({ id: 'rotate', kind: 'rotate-secret', title: 'Turn on rotation and rotate once' }),
      ],
    });
    const succeeded = aWorkflow({
      status: 'succeeded',
      finishedAt: '2026-11-30T10:02:00.000Z',
      steps: [
        aWorkflowStep({ status: 'succeeded', attempts: 1, ...started, finishedAt: '2026-11-30T10:00:13.000Z', awsRequestId: 'aws-req-1' }),
        aWorkflowStep({
          id: 'rotate',
          kind: 'rotate-secret',
          title: 'Turn on rotation and rotate once',
          status: 'succeeded',
          attempts: 2,
          startedAt: '2026-11-30T10:00:14.000Z',
          finishedAt: '2026-11-30T10:00:14.850Z',
          awsRequestId: 'aws-req-2',
        }),
      ],
      outcome: {
        result: 'rotated',
        message: 'The secret rotated; AWSCURRENT moved to the new version.',
        failedStep: null,
        versionId: 'v-2',
        log: [],
        logHidden: false,
        fix: null,
      },
    });
    const paths = serveWorkflow(running, succeeded);

    // Act
    renderRoute('/workflows/wf-1');

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'Rotation workflow' })).toBeInTheDocument();
    expect(rowOf('Create the function change set')).toHaveTextContent('In progress');
    expect(rowOf('Turn on rotation and rotate once')).toHaveTextContent('Pending');
    expect(valueOf('Workflow status')).toHaveTextContent('Running');
    expect(await screen.findByText('Rotation succeeded')).toBeInTheDocument();
    expect(valueOf('Workflow status')).toHaveTextContent('Succeeded');
    expect(screen.getByText('The secret rotated; AWSCURRENT moved to the new version.')).toBeInTheDocument();
    expect(rowOf('Create the function change set')).toHaveTextContent('Succeeded');
    expect(rowOf('Create the function change set')).toHaveTextContent('aws-req-1');
    expect(rowOf('Create the function change set')).toHaveTextContent('12 s');
    expect(rowOf('Turn on rotation and rotate once')).toHaveTextContent('850 ms');
    expect(
      within(rowOf('Turn on rotation and rotate once'))
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toContain('2');
    expect(paths).toEqual(['/api/v1/workflows/wf-1', '/api/v1/workflows/wf-1']);
    const back = screen.getByRole('link', { name: 'Back to the secret' });
    expect(back).toHaveAttribute('href', `/secrets/${encodeURIComponent(secretArn('prod/orders/postgres'))}`);
    expect(within(screen.getByRole('navigation', { name: 'Breadcrumbs' })).getByRole('link', { name: 'prod/orders/postgres' })).toBeInTheDocument();
  });

  it('When a workflow is shown, then the side navigation marks Secrets, where its breadcrumbs start, as on the secret’s own page', async () => {
    // Arrange
    serveWorkflow(aWorkflow());

    // Act
    renderRoute('/workflows/wf-1');

    // Assert
    await screen.findByRole('heading', { level: 1, name: 'Rotation workflow' });
    const navigation = screen.getByRole('navigation', { name: 'Side navigation' });
    expect(within(navigation).getByRole('link', { name: 'Secrets' })).toHaveAttribute('aria-current', 'page');
    expect(within(navigation).getByRole('link', { name: 'Dashboard' })).not.toHaveAttribute('aria-current');
  });

  it('When the first rotation failed at setSecret, then the failed and skipped steps, the step, its redacted message, the log grouped by step and the fix show', async () => {
    // Arrange
    serveWorkflow(
      aWorkflow({
        status: 'failed',
        finishedAt: '2026-11-30T10:05:00.000Z',
        error: 'The first rotation failed.',
        steps: [
          aWorkflowStep({ status: 'succeeded', attempts: 1, ...started, finishedAt: '2026-11-30T10:00:02.000Z' }),
          aWorkflowStep({
            id: 'watch',
            kind: 'watch-first-rotation',
            title: 'Watch the first rotation',
            status: 'failed',
            attempts: 1,
            ...started,
            finishedAt: '2026-11-30T10:04:00.000Z',
            awsRequestId: 'aws-req-9',
            error: 'The rotation failed at setSecret.',
          }),
          aWorkflowStep({ id: 'cleanup', kind: 'rotate-secret', title: 'Record the schedule', status: 'skipped' }),
        ],
        outcome: {
          result: 'failed',
          message: 'The rotation failed at setSecret: password authentication failed for user "orders" (password=[redacted])',
          failedStep: 'setSecret',
          versionId: 'v-2',
          log: [
            {
              step: 'createSecret',
              requestId: 'r-1',
              outcome: 'succeeded',
              headline: 'createSecret succeeded',
              lines: ['START RequestId: r-1', '{"message":"rotation step succeeded","step":"createSecret"}', 'END RequestId: r-1'],
            },
            {
              step: 'setSecret',
              requestId: 'r-2',
              outcome: 'failed',
              headline: 'setSecret failed: password authentication failed for user "orders"',
              lines: [
                'START RequestId: r-2',
                '{"message":"rotation step failed","step":"setSecret","error":"password authentication failed for user \\"orders\\""}',
                'END RequestId: r-2',
              ],
            },
          ],
          logHidden: false,
          fix: 'Give the user permission to change its own password, or use a master secret (Multi-user rotation).',
        },
      }),
    );

    // Act
    renderRoute('/workflows/wf-1');

    // Assert
    expect(await screen.findByText('Rotation failed at setSecret')).toBeInTheDocument();
    expect(screen.queryByText('Rotation succeeded')).not.toBeInTheDocument();
    expect(screen.getByText(/password=\[redacted\]/)).toBeInTheDocument();
    expect(valueOf('Workflow status')).toHaveTextContent('Failed');
    expect(rowOf('Watch the first rotation')).toHaveTextContent('Failed');
    expect(rowOf('Watch the first rotation')).toHaveTextContent('aws-req-9');
    expect(rowOf('Record the schedule')).toHaveTextContent('Skipped');
    const log = screen.getByRole('region', { name: 'Log of this rotation' });
    expect(within(log).getByRole('region', { name: 'createSecret succeeded' })).toHaveTextContent('START RequestId: r-1');
    const failedStep = within(log).getByRole('region', { name: 'setSecret failed: password authentication failed for user "orders"' });
    expect(within(failedStep).getByText(/"step":"setSecret"/).tagName).toBe('CODE');
    expect(screen.getByRole('region', { name: 'Suggested fix' })).toHaveTextContent('use a master secret');
    // The outcome says why the workflow failed: no second alert repeats it.
    expect(screen.queryByText('The first rotation failed.')).not.toBeInTheDocument();
    expect(screen.queryByText(/^The workflow failed/)).not.toBeInTheDocument();
    expect(screen.getByText('Password authentication failed for user "orders" (password=[redacted])')).toBeInTheDocument();
    // The secret's page checks the rotation by itself after a failure: the outcome links there.
    expect(screen.getByRole('link', { name: /^Check rotation on the secret/ })).toHaveAttribute('href', expect.stringMatching(/^\/secrets\//));
  });

  it('When a step before the rotation failed, then the alert names that step by its title and its error shows once, in its row', async () => {
    // Arrange
    serveWorkflow(
      aWorkflow({
        status: 'failed',
        finishedAt: '2026-11-30T10:05:00.000Z',
        error: 'The step \u201cCreate the rotation function change set\u201d failed: Change set failed: not allowed',
        outcome: null,
        steps: [
          aWorkflowStep({
            id: 'create-change-set',
            kind: 'create-change-set',
            title: 'Create the rotation function change set',
            status: 'failed',
            attempts: 1,
            ...started,
            error: 'Change set failed: not allowed',
          }),
        ],
      }),
    );

    // Act
    renderRoute('/workflows/wf-1');

    // Assert
    expect(await screen.findByText('The workflow failed at \u201cCreate the rotation function change set\u201d')).toBeInTheDocument();
    expect(screen.getAllByText('Change set failed: not allowed')).toHaveLength(1);
    expect(rowOf('Create the rotation function change set')).toHaveTextContent('Change set failed: not allowed');
    expect(screen.queryByText(/create-change-set/)).not.toBeInTheDocument();
  });

  it('When the log does not say how the rotation ended, then the outcome is unknown, its own state, never a success', async () => {
    // Arrange
    serveWorkflow(
      aWorkflow({
        status: 'failed',
        finishedAt: '2026-11-30T10:05:00.000Z',
        error: null,
        outcome: {
          result: 'unknown',
          message:
            'Rotation outcome unknown \u2014 the function\u2019s logs do not say: the log shows no outcome for createSecret, setSecret, testSecret, finishSecret; version v-2 is AWSCURRENT.',
          failedStep: null,
          versionId: 'v-2',
          log: [],
          logHidden: false,
          fix: 'Read the function\u2019s log group.',
        },
      }),
    );

    // Act
    renderRoute('/workflows/wf-1');

    // Assert
    expect(await screen.findByText('Rotation outcome unknown \u2014 the function\u2019s logs do not say')).toBeInTheDocument();
    // The headline is said once; the message under it goes on from there.
    expect(screen.getAllByText(/Rotation outcome unknown/)).toHaveLength(1);
    expect(screen.getByText('The log shows no outcome for createSecret, setSecret, testSecret, finishSecret; version v-2 is AWSCURRENT.')).toBeInTheDocument();
    expect(screen.queryByText('Rotation succeeded')).not.toBeInTheDocument();
    expect(screen.queryByText(/^Rotation failed/)).not.toBeInTheDocument();
  });

  it('When the caller may not read the function\u2019s log, then the outcome says so instead of showing lines', async () => {
    // Arrange
    serveWorkflow(
      aWorkflow({
        status: 'failed',
        outcome: {
          result: 'failed',
          message: 'The rotation failed at setSecret.',
          failedStep: 'setSecret',
          versionId: 'v-2',
          log: [],
          logHidden: true,
          fix: null,
        },
      }),
    );

    // Act
    renderRoute('/workflows/wf-1');

    // Assert
    expect(await screen.findByText('Rotation failed at setSecret')).toBeInTheDocument();
    expect(screen.getByText(/log is shown only to who may change the function/)).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Log of this rotation' })).not.toBeInTheDocument();
  });

  it('When the workflow does not exist, then "Workflow not found" is shown', async () => {
    // Arrange
    serveWorkflow(HttpResponse.json(anError('not_found', 'No such workflow.'), { status: 404 }));

    // Act
    renderRoute('/workflows/wf-missing');

    // Assert
    expect(await screen.findByText('Workflow not found')).toBeInTheDocument();
  });

  it('When the API fails, then the error shows with Retry, and Retry loads the workflow', async () => {
    // Arrange
    serveWorkflow(HttpResponse.json(anError('internal', 'Something went wrong.'), { status: 500 }), aWorkflow({ status: 'succeeded' }));
    const { user } = renderRoute('/workflows/wf-1');
    expect(await screen.findByText('Something went wrong.')).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('button', { name: 'Retry' }));

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'Rotation workflow' })).toBeInTheDocument();
  });
});
