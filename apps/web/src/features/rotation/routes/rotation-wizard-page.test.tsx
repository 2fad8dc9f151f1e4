import { ROTATE_IMMEDIATELY_WARNING, type RotationRequest } from '@rotation-console/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { aSecretDetail, anError, lambdaArn } from '../../../test/fixtures.ts';
import { aPaymentsTeam, aPortal } from '../../../test/portal-fixtures.ts';
import { renderRoute } from '../../../test/render.tsx';
import {
  aFormatCheck,
  aMasterSecretCandidateList,
  aNotFoundNetwork,
  aFailingNetworkCheck,
  aPreflightCheck,
  aPreflightReport,
  ORDERS_HOST,
  aRotationPlan,
  aSchedulePreview,
  aSecretCheck,
  aWorkflow,
  anInvalidSchedulePreview,
} from '../../../test/rotation-fixtures.ts';
import { rotationApi, type RotationApi } from '../../../test/rotation-handlers.ts';
import { server } from '../../../test/server.ts';
import { aMe, signedInAs } from '../../../test/identity-fixtures.ts';

const WIZARD = '/secrets/prod%2Forders%2Fpostgres/rotation';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Opens the wizard on prod/orders/postgres, whose rotation is off, and (unless `enable: false`)
 * ticks "Enable automatic rotation" first, as the operator must before choosing anything.
 */
const openWizard = async (api: RotationApi = {}, { enable = true }: { enable?: boolean } = {}) => {
  const { handlers, calls } = rotationApi(api);
  server.use(...handlers);
  const view = renderRoute(WIZARD);
  await screen.findByRole('heading', { level: 1, name: 'Configure automatic rotation' });
  if (enable) await view.user.click(screen.getByLabelText('Enable automatic rotation'));
  return { ...view, calls };
};

const next = (user: UserEvent) => user.click(screen.getByRole('button', { name: 'Next' }));

const step = (title: string) => screen.findByRole('heading', { level: 1, name: title });

/** Opens the Select labelled `label` and chooses the option whose name starts with `option`. */
const choose = async (user: UserEvent, label: string, option: string) => {
  await user.click(screen.getByLabelText(label));
  const escaped = option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await user.click(await screen.findByRole('option', { name: new RegExp(`^${escaped}`) }));
};

/** From step 1 to the review step with what is on screen. */
const toReview = async (user: UserEvent) => {
  await next(user);
  await step('Rotation function');
  await screen.findByText(/^Found database|^Database not found/);
  await next(user);
  await step('Check secret');
  await screen.findByRole('table', { name: 'Secret fields' });
  await next(user);
  await step('Review and save');
};

/** From step 1 to "Check secret", once the database is found. */
const toCheck = async (user: UserEvent) => {
  await next(user);
  await step('Rotation function');
  await screen.findByText('Found database orders-db in vpc-0a1b2c3d');
  await next(user);
  await step('Check secret');
};

/** The review step drawn: its plan, and its preflight's checks (Save waits for both). */
const reviewed = async () => {
  await screen.findByRole('table', { name: 'Plan steps' });
  await screen.findByRole('list', { name: 'Preflight checks' });
};

const lastPlan = (calls: { plans: unknown[] }) => calls.plans.at(-1) as RotationRequest;

describe('Rotation wizard, step 1: Configure automatic rotation', () => {
  it('When the secret has no rotation, then "Enable automatic rotation" starts unticked with the rest disabled, as on the console\u2019s page, and ticking it asks for the preview', async () => {
    // Arrange
    const { user, calls } = await openWizard({}, { enable: false });

    // Assert: off, as the console opens it
    const toggle = screen.getByLabelText('Enable automatic rotation');
    expect(toggle).not.toBeChecked();
    expect(screen.getByRole('radio', { name: '30 days' })).toBeDisabled();
    expect(screen.getByRole('checkbox', { name: 'Rotate immediately when the secret is stored' })).toBeDisabled();
    expect(calls.previews).toHaveLength(0);

    // Act
    await user.click(toggle);

    // Assert
    expect(toggle).toBeChecked();
    expect(screen.getByRole('radio', { name: '30 days' })).toBeEnabled();
    await waitFor(() => expect(calls.previews).toHaveLength(1));
  });

  it('When the secret\u2019s rotation is on, then "Enable automatic rotation" starts ticked', async () => {
    // Arrange
    const rotating = aSecretDetail({
      rotation: {
        ...aSecretDetail().rotation,
        enabled: true,
        lambdaArn: lambdaArn('rotate-orders-postgres'),
        rules: { automaticallyAfterDays: 30, scheduleExpression: null, duration: null },
      },
    });

    // Act
    await openWizard({ secret: rotating }, { enable: false });

    // Assert
    expect(screen.getByLabelText('Enable automatic rotation')).toBeChecked();
    expect(screen.getByRole('radio', { name: '60 days' })).toBeEnabled();
  });

  it('When the operator picks 60 days, then the preview is asked for 60 days and shows five windows and the advice', async () => {
    // Arrange
    const { user, calls } = await openWizard();
    await screen.findByRole('list', { name: 'Next rotation windows' });

    // Act
    await user.click(screen.getByRole('radio', { name: '60 days' }));

    // Assert
    await waitFor(() =>
      expect(calls.previews.at(-1)).toEqual({ schedule: { kind: 'days', days: 60 }, strategy: 'single-user', secretId: 'prod/orders/postgres' }),
    );
    const windows = screen.getByRole('list', { name: 'Next rotation windows' });
    expect(within(windows).getAllByRole('listitem')).toHaveLength(5);
    expect(within(windows).getByText('December 1, 2026, 04:00 to 07:00 (UTC)')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Compliance advice' })).toHaveTextContent('at least 1 day less');
    expect(screen.getByText('Rotates every 30 days')).toBeInTheDocument();
  });

  it('When the operator types a custom interval and a window, then the preview is asked for those days and that window', async () => {
    // Arrange
    const { user, calls } = await openWizard();
    expect(screen.getByLabelText('Enable automatic rotation')).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Rotate immediately when the secret is stored' })).toBeChecked();

    // Act
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    await user.type(screen.getByLabelText('Custom interval in days'), '14');
    await user.click(screen.getByRole('button', { name: 'Advanced schedule' }));
    await user.type(screen.getByLabelText('Window duration'), '3h');

    // Assert
    await waitFor(() =>
      expect(calls.previews.at(-1)).toEqual({
        schedule: { kind: 'days', days: 14 },
        duration: '3h',
        strategy: 'single-user',
        secretId: 'prod/orders/postgres',
      }),
    );
  });

  it('When the custom interval is outside 1 to 1000, then the field says so, the API is not asked and Next stays on the step', async () => {
    // Arrange
    const { user, calls } = await openWizard();
    await waitFor(() => expect(calls.previews).toHaveLength(1));

    // Act
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    await user.type(screen.getByLabelText('Custom interval in days'), '1001');
    await next(user);

    // Assert
    expect(screen.getAllByText('The interval must be a whole number of days from 1 to 1000.').length).toBeGreaterThan(0);
    expect(screen.getByRole('heading', { level: 1, name: 'Configure automatic rotation' })).toBeInTheDocument();
    expect(calls.previews).toHaveLength(1);
  });

  it("When the schedule expression is invalid, then the server's error shows on the field and Next is blocked", async () => {
    // Arrange
    const error = 'rate() takes a value from 4 to 999 hours or 1 to 1000 days.';
    const { user, calls } = await openWizard({
      preview: ({ body }) => ((body as { schedule: { kind: string } }).schedule.kind === 'expression' ? anInvalidSchedulePreview([error]) : aSchedulePreview()),
    });
    await user.click(screen.getByRole('button', { name: 'Advanced schedule' }));

    // Act
    await user.type(screen.getByLabelText('Schedule expression'), 'rate(2 hours)');
    await waitFor(() => expect(calls.previews.at(-1)).toMatchObject({ schedule: { kind: 'expression', expression: 'rate(2 hours)' } }));
    const field = await screen.findByText(error);
    await next(user);

    // Assert
    expect(field).toBeInTheDocument();
    expect(screen.getByText('AWS would refuse this schedule')).toBeInTheDocument();
    expect(await screen.findByText(`AWS would refuse this schedule: ${error}`)).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Configure automatic rotation' })).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Next rotation windows' })).not.toBeInTheDocument();
  });

  it('When automatic rotation is turned off, then the controls are disabled and Next says to turn it on', async () => {
    // Arrange
    const { user } = await openWizard();

    // Act
    await user.click(screen.getByLabelText('Enable automatic rotation'));
    await next(user);

    // Assert
    expect(screen.getByRole('radio', { name: '60 days' })).toBeDisabled();
    expect(screen.getByRole('checkbox', { name: 'Rotate immediately when the secret is stored' })).toBeDisabled();
    expect(await screen.findByText('Turn on automatic rotation to continue.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Configure automatic rotation' })).toBeInTheDocument();
  });

  it('When the preview fails, then its error shows with Retry, and Retry shows the windows', async () => {
    // Arrange
    let calls = 0;
    const { user } = await openWizard({
      preview: () => {
        calls += 1;
        return calls === 1 ? HttpResponse.json(anError('internal', 'Something went wrong.'), { status: 500 }) : aSchedulePreview();
      },
    });
    expect(await screen.findByText('Could not check the schedule')).toBeInTheDocument();

    // Act
    await user.click(screen.getByRole('button', { name: 'Retry' }));

    // Assert
    expect(await screen.findByRole('list', { name: 'Next rotation windows' })).toBeInTheDocument();
  });
});

describe('Rotation wizard, step 2: Rotation function', () => {
  it('When a new function rotates with this secret, then the plan is asked for the right RotationRequest', async () => {
    // Arrange
    const { user, calls } = await openWizard();
    await next(user);
    await step('Rotation function');
    expect(screen.getByRole('radio', { name: 'Create a new Lambda function to perform rotation' })).toBeChecked();
    expect(screen.getByRole('radio', { name: /^Use this secret/ })).toBeChecked();
    expect(screen.getByLabelText('Lambda function name')).toHaveValue('SecretsManager-postgres-prod-orders-postgres');

    // Act
    await user.clear(screen.getByLabelText('Lambda function name'));
    await user.type(screen.getByLabelText('Lambda function name'), 'rotate-orders');
    await screen.findByText('Found database orders-db in vpc-0a1b2c3d');
    await next(user);
    await step('Check secret');
    await screen.findByRole('table', { name: 'Secret fields' });
    await next(user);
    await step('Review and save');

    // Assert
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    expect(lastPlan(calls)).toEqual({
      secretId: 'prod/orders/postgres',
      schedule: { kind: 'days', days: 30 },
      rotateImmediately: true,
      function: { mode: 'create', functionName: 'rotate-orders', strategy: 'single-user' },
      network: {
        vpcId: 'vpc-0a1b2c3d',
        subnetIds: ['subnet-private-a', 'subnet-private-b'],
        securityGroupIds: ['sg-orders-db'],
        createSecretsManagerEndpoint: false,
      },
      acknowledgeSharedFunction: false,
    });
    expect(calls.checks.at(-1)?.toString()).toBe('strategy=single-user');
  });

  it('When the function name has characters Lambda refuses, then the hint shows as an error and Next is blocked', async () => {
    // Arrange
    const { user } = await openWizard();
    await next(user);
    await step('Rotation function');

    // Act
    await user.clear(screen.getByLabelText('Lambda function name'));
    await user.type(screen.getByLabelText('Lambda function name'), 'rotate orders!');
    await next(user);

    // Assert
    expect((await screen.findAllByText('The name must be 1 to 64 characters: letters, digits, hyphens (-) and underscores (_).')).length).toBeGreaterThan(0);
    expect(screen.getByRole('heading', { level: 1, name: 'Rotation function' })).toBeInTheDocument();
  });

  it('When an existing function rotates multiple users, then a master secret is required and is sent with the plan', async () => {
    // Arrange
    const { user, calls } = await openWizard({
      check: ({ url }) =>
        url.searchParams.get('masterSecretId') ? aSecretCheck({ masterSecret: aFormatCheck({ secretName: 'prod/orders/postgres-master' }) }) : aSecretCheck(),
    });
    await next(user);
    await step('Rotation function');
    await user.click(screen.getByRole('radio', { name: 'Use an existing Lambda function to perform rotation' }));
    await choose(user, 'Lambda rotation function', 'rotate-orders-postgres');
    await user.click(screen.getByRole('radio', { name: /^Multi-user rotation/ }));

    // Act: Next without a master secret
    await next(user);

    // Assert: blocked
    expect((await screen.findAllByText('Choose the master secret.')).length).toBeGreaterThan(0);
    expect(screen.getByRole('heading', { level: 1, name: 'Rotation function' })).toBeInTheDocument();

    // Act: choose one of what the API offers for this secret, each shown with its engine and host
    await user.click(screen.getByLabelText('Master secret'));
    const offered = await screen.findByRole('option', { name: /^prod\/orders\/postgres-master/ });
    expect(offered).toHaveTextContent('Engine: postgres');
    expect(offered).toHaveTextContent(`Host: ${ORDERS_HOST}:5432`);
    expect(screen.getByRole('option', { name: /^prod\/orders\/postgres-owner/ })).toHaveTextContent(`Host: ${ORDERS_HOST}`);
    expect(calls.masterCandidates.at(-1)?.secretId).toBe('prod/orders/postgres');
    await user.click(offered);
    await next(user);
    await step('Check secret');
    expect(await screen.findByRole('table', { name: 'Master secret fields' })).toBeInTheDocument();
    await next(user);
    await step('Review and save');

    // Assert
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    expect(lastPlan(calls).function).toEqual({
      mode: 'existing',
      functionArn: lambdaArn('rotate-orders-postgres'),
      strategy: 'alternating-users',
      masterSecretId: 'prod/orders/postgres-master',
    });
    expect(calls.checks.at(-1)?.get('strategy')).toBe('alternating-users');
    expect(calls.checks.at(-1)?.get('masterSecretId')).toBe('prod/orders/postgres-master');
  });

  it('When the API offers the master secrets, then the field names the database they share, and a name typed in the filter is sent as the prefix', async () => {
    // Arrange
    const { user, calls } = await openWizard();
    await next(user);
    await step('Rotation function');
    await user.click(screen.getByRole('radio', { name: /^Use a secret that I have previously stored/ }));

    // Assert: the database they are offered for
    expect(
      await screen.findByText(
        `A secret whose credentials have permission to update the credentials stored in this secret. Offered: the secrets you may use for the same database, engine postgres on ${ORDERS_HOST}:5432.`,
      ),
    ).toBeInTheDocument();

    // Act
    await user.click(screen.getByLabelText('Master secret'));
    await user.type(screen.getByLabelText('Find a secret by name'), 'prod/orders/postgres-o');

    // Assert
    await waitFor(() => expect(calls.masterCandidates.at(-1)?.query.get('name')).toBe('prod/orders/postgres-o'));
    expect(await screen.findByRole('option', { name: /^prod\/orders\/postgres-owner/ })).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: /^prod\/orders\/postgres-master/ })).not.toBeInTheDocument();
  });

  it('When the secret names no database, then no master secret is offered and the list says to fix the secret', async () => {
    // Arrange
    const { user } = await openWizard({ masterCandidates: aMasterSecretCandidateList({ database: null, items: [] }) });
    await next(user);
    await step('Rotation function');
    await user.click(screen.getByRole('radio', { name: /^Use a secret that I have previously stored/ }));

    // Act
    await user.click(screen.getByLabelText('Master secret'));

    // Assert
    expect(await screen.findByText('This secret names no engine and host, so no master secret matches it. Fix the secret first.')).toBeInTheDocument();
    expect(screen.queryByRole('option')).not.toBeInTheDocument();
  });

  it('When the chosen master secret turns out to be for another engine when checked, then the field says so and Next is blocked', async () => {
    // Arrange: the list was read before the secret changed; the check reads it again
    const mysql = { engine: 'mysql', host: ORDERS_HOST, port: 3306 };
    const { user } = await openWizard({
      masterCandidates: aMasterSecretCandidateList({
        items: [
          {
            name: 'prod/billing/mysql-master',
            arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/billing/mysql-master-AbCdEf',
            description: null,
            team: 'payments',
            database: mysql,
          },
        ],
      }),
      check: aSecretCheck({ ok: false, masterSecret: aFormatCheck({ secretName: 'prod/billing/mysql-master', engine: 'mysql' }) }),
    });
    await next(user);
    await step('Rotation function');
    await user.click(screen.getByRole('radio', { name: /^Use a secret that I have previously stored/ }));

    // Act
    await choose(user, 'Master secret', 'prod/billing/mysql-master');
    const message = 'prod/billing/mysql-master is a mysql secret and this secret is postgres: choose a master secret for the same engine.';
    await screen.findByText(message);
    await next(user);

    // Assert
    expect(await screen.findAllByText(message)).toHaveLength(2);
    expect(screen.getByRole('heading', { level: 1, name: 'Rotation function' })).toBeInTheDocument();
  });
});

describe('Rotation wizard, step 2: Network', () => {
  it("When the database's network is found, then its VPC, subnets and security groups are used and no endpoint is offered", async () => {
    // Arrange
    const { user } = await openWizard();

    // Act
    await next(user);
    await step('Rotation function');

    // Assert
    expect(await screen.findByText('Found database orders-db in vpc-0a1b2c3d')).toBeInTheDocument();
    expect(await screen.findByText('private-a (subnet-private-a)')).toBeInTheDocument();
    expect(screen.getByText('private-b (subnet-private-b)')).toBeInTheDocument();
    expect(screen.getByText('orders-db (sg-orders-db)')).toBeInTheDocument();
    expect(screen.getByText(/the function reaches the public Secrets Manager endpoint/)).toBeInTheDocument();
    expect(screen.queryByRole('checkbox', { name: 'Create a Secrets Manager interface endpoint in this VPC' })).not.toBeInTheDocument();
  });

  it('When nothing is found and the chosen subnets have no route out, then the endpoint is offered, checked, and sent', async () => {
    // Arrange
    const { user, calls } = await openWizard({ network: aNotFoundNetwork() });
    await next(user);
    await step('Rotation function');
    expect(await screen.findByText('No RDS instance has the host db.internal.example.', { exact: false })).toBeInTheDocument();

    // Act
    await choose(user, 'VPC', 'isolated (vpc-isolated)');
    await waitFor(() => expect(screen.getByLabelText('Subnets')).toBeInTheDocument());
    await choose(user, 'Subnets', 'iso-a (subnet-iso-a)');
    await user.keyboard('{Escape}');
    await choose(user, 'Security groups', 'iso-db (sg-iso)');
    await user.keyboard('{Escape}');

    // Assert
    const endpoint = await screen.findByRole('checkbox', { name: 'Create a Secrets Manager interface endpoint in this VPC' });
    expect(endpoint).toBeChecked();
    expect(screen.getByText(/Without a route out: subnet-iso-a/)).toBeInTheDocument();
    await next(user);
    await step('Check secret');
    await screen.findByRole('table', { name: 'Secret fields' });
    await next(user);
    await step('Review and save');
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    expect(lastPlan(calls).network).toEqual({
      vpcId: 'vpc-isolated',
      subnetIds: ['subnet-iso-a'],
      securityGroupIds: ['sg-iso'],
      createSecretsManagerEndpoint: true,
    });
  });

  it('When nothing is found and no VPC is chosen, then Next is blocked; "No VPC" sends no network', async () => {
    // Arrange
    const { user, calls } = await openWizard({ network: aNotFoundNetwork() });
    await next(user);
    await step('Rotation function');
    await screen.findByText('Database not found');

    // Act
    await next(user);

    // Assert
    expect((await screen.findAllByText('Choose a VPC, or "No VPC" when the database is reachable without one.')).length).toBeGreaterThan(0);

    // Act
    await choose(user, 'VPC', 'No VPC (the function runs outside a VPC)');
    await next(user);
    await step('Check secret');
    await screen.findByRole('table', { name: 'Secret fields' });
    await next(user);
    await step('Review and save');

    // Assert
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    expect(lastPlan(calls).network).toBeNull();
  });
});

describe('Rotation wizard, step 2: Network lookup failure', () => {
  it('When the database lookup fails, then the failure shows with Retry and the network can still be chosen by hand', async () => {
    // Arrange
    const { user, calls } = await openWizard({
      network: HttpResponse.json(anError('upstream_timeout', 'RDS did not answer in time.'), { status: 504 }),
    });
    await next(user);
    await step('Rotation function');

    // Act
    expect(await screen.findByText('RDS did not answer in time.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    await choose(user, 'VPC', 'No VPC (the function runs outside a VPC)');
    await next(user);
    await step('Check secret');
    await screen.findByRole('table', { name: 'Secret fields' });
    await next(user);
    await step('Review and save');

    // Assert
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    expect(lastPlan(calls).network).toBeNull();
  });
});

describe('Rotation wizard, step 3: Check secret', () => {
  it('When the secret lacks a field, then the verdicts and problems show and Next is blocked', async () => {
    // Arrange
    const { user } = await openWizard({
      check: aSecretCheck({
        ok: false,
        secret: aFormatCheck({
          ok: false,
          fields: [
            { field: 'engine', verdict: 'ok', message: 'postgres' },
            { field: 'username', verdict: 'ok', message: 'Present' },
            { field: 'password', verdict: 'missing', message: 'The rotation function needs a password.' },
            { field: 'port', verdict: 'invalid', message: 'Must be a number.' },
          ],
          problems: ['The secret has no password field.'],
        }),
      }),
    });
    await next(user);
    await step('Rotation function');
    await screen.findByText('Found database orders-db in vpc-0a1b2c3d');

    // Act
    await next(user);
    await step('Check secret');
    const table = await screen.findByRole('table', { name: 'Secret fields' });
    await next(user);

    // Assert
    const password = within(table).getByText('password').closest('tr');
    expect(password).toHaveTextContent('Missing');
    expect(password).toHaveTextContent('The rotation function needs a password.');
    expect(within(table).getByText('port').closest('tr')).toHaveTextContent('Invalid');
    expect(within(table).getByText('engine').closest('tr')).toHaveTextContent('OK');
    expect(screen.getByRole('list', { name: 'Problems with prod/orders/postgres' })).toHaveTextContent('The secret has no password field.');
    expect(await screen.findByText('The secret check did not pass. Fix the secret, then choose Check again.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Check secret' })).toBeInTheDocument();
  });

  it('When the check fails, then "Fix the secret before you continue" comes with the fields to fix and the put-secret-value command to copy, placeholders for values', async () => {
    // Arrange
    const cli = `aws secretsmanager put-secret-value --secret-id prod/orders/postgres --secret-string '{"engine":"<engine>","host":"<host>","username":"<username>","password":"<password>","dbname":"<dbname>","port":"<port>"}'`;
    const { user } = await openWizard({
      check: aSecretCheck({
        ok: false,
        secret: aFormatCheck({
          ok: false,
          fields: [
            { field: 'engine', verdict: 'ok', message: 'engine is set.' },
            { field: 'password', verdict: 'missing', message: 'password is required.' },
            { field: 'port', verdict: 'invalid', message: 'port must be a whole number from 1 to 65535.' },
          ],
          fix: { fields: ['password', 'port'], cli },
        }),
      }),
    });

    // Act
    await toCheck(user);

    // Assert
    expect(await screen.findByText('Fix the secret before you continue')).toBeInTheDocument();
    expect(screen.getByText('How to fix prod/orders/postgres')).toBeInTheDocument();
    const fields = screen.getByRole('list', { name: 'Fields to fix in prod/orders/postgres' });
    expect(
      within(fields)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['password (missing): password is required.', 'port (invalid): port must be a whole number from 1 to 65535.']);
    expect(screen.getByLabelText('Command to fix prod/orders/postgres')).toHaveTextContent(cli);
    await user.click(screen.getByRole('button', { name: 'Copy command' }));
    expect(await navigator.clipboard.readText()).toBe(cli);
  });

  it('When the check passes, then no fix is shown', async () => {
    // Arrange
    const { user } = await openWizard();

    // Act
    await toCheck(user);

    // Assert
    expect(await screen.findByText('The secret has what the rotation function needs')).toBeInTheDocument();
    expect(screen.queryByText(/^How to fix/)).not.toBeInTheDocument();
  });
});

describe('Rotation wizard, step 4: Review and save', () => {
  it('When the plan carries the rotate-now warning, then the review says it once, beside its acknowledgement, and lists the other warnings', async () => {
    // Arrange
    const plan = aRotationPlan({ warnings: [ROTATE_IMMEDIATELY_WARNING, 'The function will run in 2 subnets of 2 Availability Zones.'] });
    const { user } = await openWizard({ plan });

    // Act
    await toReview(user);
    await reviewed();

    // Assert
    expect(screen.getAllByText(/rotate once immediately/)).toHaveLength(1);
    const warnings = screen.getByRole('list', { name: 'Plan warnings' });
    expect(
      within(warnings)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['The function will run in 2 subnets of 2 Availability Zones.']);
    expect(
      screen.getByRole('checkbox', { name: 'I understand that the secret rotates immediately and the old credentials may stop working' }),
    ).toBeInTheDocument();
  });

  it('When the plan has only the rotate-now warning, then no Warnings box repeats it', async () => {
    // Arrange
    const { user } = await openWizard({ plan: aRotationPlan({ warnings: [ROTATE_IMMEDIATELY_WARNING] }) });

    // Act
    await toReview(user);
    await reviewed();

    // Assert
    expect(screen.getAllByText(/rotate once immediately/)).toHaveLength(1);
    expect(screen.queryByRole('list', { name: 'Plan warnings' })).not.toBeInTheDocument();
  });

  it('When the plan arrives, then the CLI session shows each step\u2019s command in the order of the plan\u2019s steps', async () => {
    // Arrange
    const plan = aRotationPlan();
    const { user } = await openWizard({ plan });

    // Act
    await toReview(user);
    const table = await screen.findByRole('table', { name: 'Plan steps' });

    // Assert: the rows' commands, row by row, are the session's lines
    const rows = within(table)
      .getAllByRole('rowheader')
      .map((header) => plan.steps.find((s) => s.title === header.textContent));
    expect(rows).toHaveLength(plan.steps.length);
    expect(screen.getByLabelText('AWS CLI session').textContent?.split('\n')).toEqual(rows.flatMap((s) => (s?.cli ? [s.cli] : [])));
  });

  it('When the plan arrives, then its steps show in order with the parallel ones, and the CLI session can be copied', async () => {
    // Arrange
    const plan = aRotationPlan({ warnings: ['The function will run in 2 subnets of 2 Availability Zones.'] });
    const { user } = await openWizard({ plan });

    // Act
    await toReview(user);
    const table = await screen.findByRole('table', { name: 'Plan steps' });

    // Assert
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell')[0]?.textContent)).toEqual(['1', '2', '3', '4', '4', '5']);
    const permission = within(table).getByText('Let Secrets Manager invoke the function').closest('tr');
    expect(permission).toHaveTextContent('lambda:AddPermission');
    expect(permission).toHaveTextContent('In parallel with: Run the function in the VPC');
    expect(within(table).getByText('Execute the change set').closest('tr')).toHaveTextContent('Alone');
    expect(screen.getByLabelText('AWS CLI session')).toHaveTextContent('aws secretsmanager rotate-secret --secret-id prod/orders/postgres');
    expect(screen.getByRole('list', { name: 'Plan warnings' })).toHaveTextContent('2 subnets of 2 Availability Zones');

    await user.click(screen.getByRole('button', { name: 'Copy CLI session' }));
    expect(await navigator.clipboard.readText()).toBe(plan.cliSession);
  });

  it('When the secret rotates immediately, then Save stays disabled until the warning is acknowledged', async () => {
    // Arrange
    const { user } = await openWizard();
    await toReview(user);
    await reviewed();

    // Act / Assert
    expect(screen.getByText(/Enabling rotation causes the secret to rotate once immediately when you save the secret\./)).toBeInTheDocument();
    expect(screen.getByText(/The original credentials might not be usable after the initial rotation\./)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: 'I understand that the secret rotates immediately and the old credentials may stop working' }));
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
  });

  it('When the secret does not rotate immediately, then no acknowledgement is asked and the request says so', async () => {
    // Arrange
    const { user, calls } = await openWizard();
    await user.click(screen.getByRole('checkbox', { name: 'Rotate immediately when the secret is stored' }));

    // Act
    await toReview(user);
    await reviewed();

    // Assert
    expect(screen.queryByRole('checkbox', { name: /I understand/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
    expect(lastPlan(calls).rotateImmediately).toBe(false);
  });

  it('When the chosen function also rotates other secrets, then the review lists them and the change, and Save waits for the acknowledgement it then sends', async () => {
    // Arrange
    const plan = aRotationPlan({
      sharedFunction: {
        functionName: 'payments-rotation',
        otherSecrets: [{ name: 'prod/payments/ledger-app', team: 'payments' }],
        changes: [{ what: 'security groups', before: 'sg-lambda', after: 'sg-orders-db' }],
        acknowledgementRequired: true,
      },
      resources: [{ kind: 'function', id: 'payments-rotation', owner: 'team payments', use: 'change' }],
    });
    const { user, calls } = await openWizard({
      plan,
      workflow: () => HttpResponse.json({ id: 'wf-1', status: 'pending', location: '/api/v1/workflows/wf-1' }, { status: 202 }),
    });
    server.use(http.get('/api/v1/workflows/:workflowId', () => HttpResponse.json(aWorkflow({ status: 'pending' }))));
    await user.click(screen.getByRole('checkbox', { name: 'Rotate immediately when the secret is stored' }));
    await toReview(user);
    await reviewed();

    // Assert: what the function serves and what changes, with who owns each resource
    expect(screen.getByText('payments-rotation also rotates 1 other secret')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Other secrets this function rotates' })).toHaveTextContent('prod/payments/ledger-app (team payments)');
    expect(screen.getByRole('list', { name: 'Changes to the shared function' })).toHaveTextContent('security groups: sg-lambda → sg-orders-db');
    expect(screen.getByRole('table', { name: 'Resources and owners' })).toHaveTextContent('team payments');
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();

    // Act
    await user.click(screen.getByRole('checkbox', { name: 'I understand that Save changes payments-rotation for the 1 other secret it rotates' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    // Assert: the plan was asked without it, the workflow with it
    await waitFor(() => expect(calls.workflows).toHaveLength(1));
    expect(calls.plans.at(-1)).toMatchObject({ acknowledgeSharedFunction: false });
    expect(calls.workflows[0]?.body).toMatchObject({ acknowledgeSharedFunction: true });
  });

  it('When Save fails and the operator retries, then /workflows gets the same Idempotency-Key twice and the workflow opens', async () => {
    // Arrange
    let attempts = 0;
    const { user, calls, router } = await openWizard({
      workflow: () => {
        attempts += 1;
        return attempts === 1
          ? HttpResponse.json(anError('upstream_unavailable', 'The database is not answering.'), { status: 503 })
          : HttpResponse.json({ id: 'wf-1', status: 'pending', location: '/api/v1/workflows/wf-1' }, { status: 202 });
      },
    });
    server.use(http.get('/api/v1/workflows/:workflowId', () => HttpResponse.json(aWorkflow({ status: 'pending' }))));
    await toReview(user);
    await reviewed();
    await user.click(screen.getByRole('checkbox', { name: /I understand/ }));

    // Act
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('The database is not answering.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));

    // Assert
    expect(await screen.findByRole('heading', { level: 1, name: 'Rotation workflow' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/workflows/wf-1');
    expect(calls.workflows).toHaveLength(2);
    const [first, second] = calls.workflows;
    expect(first?.idempotencyKey).toMatch(UUID);
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
    expect(second?.body).toEqual(calls.plans.at(-1));
  });

  it('When a preflight check fails, then the review shows it with its fix, and an admin saves only after acknowledging it', async () => {
    // Arrange
    const { user, calls } = await openWizard({
      preflight: aPreflightReport([aFailingNetworkCheck(), aPreflightCheck({ id: 'function', title: 'The rotation function' })]),
    });
    await user.click(screen.getByRole('checkbox', { name: 'Rotate immediately when the secret is stored' }));
    await toReview(user);
    await reviewed();

    // Assert: the failed check, expanded, with what it found and the command that fixes it
    expect(screen.getByText('1 of 2 checks failed.', { exact: false })).toBeInTheDocument();
    const findings = screen.getByRole('list', { name: 'Network to the database: findings' });
    expect(findings).toHaveTextContent('sg-0db (orders-db) admits nothing from sg-0fn (rotation) on tcp 5432.');
    expect(findings).toHaveTextContent(
      'aws ec2 authorize-security-group-ingress --group-id sg-0db --protocol tcp --port 5432 --source-group sg-0fn --region us-east-1',
    );
    expect(screen.getByRole('list', { name: 'Network to the database: what was read' })).toHaveTextContent('sg-0db ingress: tcp 3306 from sg-0other');
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();

    // Act
    await user.click(screen.getByRole('checkbox', { name: /I have read the failed checks and save anyway/ }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    // Assert
    await waitFor(() => expect(calls.workflows).toHaveLength(1));
    expect(calls.preflights.at(-1)).toMatchObject({ secretId: 'prod/orders/postgres' });
  });

  it('When a preflight check fails for an operator, then Save stays disabled and the review says to fix the cause or ask an admin', async () => {
    // Arrange
    server.use(signedInAs(aMe({ id: 'olga', name: 'Olga Orders', roles: ['operator'], teams: ['orders'], authMode: 'oidc', via: 'session' })));
    const { user } = await openWizard({ preflight: aPreflightReport([aFailingNetworkCheck()]) });
    await user.click(screen.getByRole('checkbox', { name: 'Rotate immediately when the secret is stored' }));

    // Act
    await toReview(user);
    await reviewed();

    // Assert
    expect(screen.getByText('Fix the failed checks before you save')).toBeInTheDocument();
    expect(screen.queryByRole('checkbox', { name: /save anyway/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it('When the preflight cannot run, then the review says nothing was checked and Save is not held back', async () => {
    // Arrange
    const { user } = await openWizard({ preflight: HttpResponse.json(anError('upstream_error', 'AWS did not answer DescribeSecret.'), { status: 502 }) });
    await user.click(screen.getByRole('checkbox', { name: 'Rotate immediately when the secret is stored' }));

    // Act
    await toReview(user);
    await screen.findByRole('table', { name: 'Plan steps' });

    // Assert
    expect(await screen.findByText('The preflight could not run')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
  });

  it('When the plan is refused with a 400, then its message and fields show and the operator is sent back to the step', async () => {
    // Arrange
    const { user } = await openWizard({
      plan: HttpResponse.json(
        {
          error: {
            code: 'invalid_input',
            message: 'Lambda would refuse this function name.',
            details: [{ path: 'function.functionName', message: 'A function named rotate-orders already exists.' }],
          },
          requestId: 'req-plan-1',
        },
        { status: 400 },
      ),
    });

    // Act
    await toReview(user);

    // Assert
    expect(await screen.findByText('The plan was refused')).toBeInTheDocument();
    expect(screen.getByText('Lambda would refuse this function name.')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Refused fields' })).toHaveTextContent('function.functionName: A function named rotate-orders already exists.');
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Edit Rotation function' }));
    expect(await step('Rotation function')).toBeInTheDocument();
  });
});

describe('Rotation wizard page', () => {
  it('When the secret does not exist, then "Secret not found" is shown instead of the wizard', async () => {
    // Arrange
    server.use(http.get('/api/v1/secrets/:secretId', () => HttpResponse.json(anError('not_found', 'No such secret.'), { status: 404 })));

    // Act
    renderRoute(WIZARD);

    // Assert
    expect(await screen.findByText('Secret not found')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { level: 1, name: 'Configure automatic rotation' })).not.toBeInTheDocument();
  });

  it('When the operator cancels, then the secret page opens', async () => {
    // Arrange
    const { user, router } = await openWizard();

    // Act
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    // Assert
    await waitFor(() => expect(router.state.location.pathname).toBe('/secrets/prod%2Forders%2Fpostgres'));
  });
});

describe('Rotation wizard from the team portal (the team\u2019s defaults and limit)', () => {
  const PAYMENTS_SECRET = aSecretDetail({
    name: 'prod/payments/reports-db',
    team: 'payments',
    tags: [{ key: 'team', value: 'payments' }],
    rotation: { ...aSecretDetail().rotation, enabled: false, lambdaArn: null, rules: null },
  });
  const PAYMENTS_WIZARD = '/secrets/prod%2Fpayments%2Freports-db/rotation';
  const LIMIT = 'Team payments allows at most 90 days between rotations; this schedule rotates every 120 days.';

  /** Opens the wizard for payments' secret (rotation off) and ticks "Enable automatic rotation". */
  const openFromPortal = async (path: string, api: RotationApi = {}, team = aPaymentsTeam()) => {
    const { handlers, calls } = rotationApi({ secret: PAYMENTS_SECRET, ...api });
    const portalAsks: URL[] = [];
    server.use(
      ...handlers,
      http.get('/api/v1/portal', ({ request }) => {
        portalAsks.push(new URL(request.url));
        return HttpResponse.json(aPortal([team]));
      }),
    );
    const view = renderRoute(path);
    await screen.findByRole('heading', { level: 1, name: 'Configure automatic rotation' });
    const toggle = screen.getByLabelText('Enable automatic rotation');
    expect(toggle).not.toBeChecked();
    await view.user.click(toggle);
    return { ...view, calls, portalAsks };
  };

  it('When the team allows at most 90 days, then the Custom field\u2019s hint and its messages say 1 to 90, never 1 to 1000', async () => {
    // Arrange
    const { user } = await openFromPortal(PAYMENTS_WIZARD);

    // Act
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    await next(user);

    // Assert
    expect(screen.getByText('A whole number from 1 to 90.')).toBeInTheDocument();
    expect(screen.queryByText(/1 to 1000/)).not.toBeInTheDocument();
    expect(screen.getAllByText('Enter a number of days from 1 to 90.').length).toBeGreaterThanOrEqual(1);

    // Act: a number AWS refuses too
    await user.type(screen.getByLabelText('Custom interval in days'), '1001');

    // Assert
    expect(screen.getByText('The interval must be a whole number of days from 1 to 90.')).toBeInTheDocument();
    expect(screen.queryByText(/1 to 1000/)).not.toBeInTheDocument();
  });

  it('When the team allows at most 45 days, then the 60 and 90 day intervals are not offered and the examples stay within the limit', async () => {
    // Act
    await openFromPortal(PAYMENTS_WIZARD, {}, aPaymentsTeam({ limits: { maxIntervalDays: 45 } }));

    // Assert
    expect(screen.getByRole('radio', { name: '30 days' })).toBeEnabled();
    expect(screen.getByRole('radio', { name: /^60 days/ })).toBeDisabled();
    expect(screen.getByRole('radio', { name: /^90 days/ })).toBeDisabled();
    expect(screen.getAllByText('More than team payments allows')).toHaveLength(2);
    expect(screen.getByText(/^For example rate\(10 days\)/)).toBeInTheDocument();
  });

  it('When "Enable rotation" opens the wizard (?team=payments), then it is filled in with payments\u2019 defaults and the plan asks for them', async () => {
    // Arrange
    const { user, calls, portalAsks } = await openFromPortal(`${PAYMENTS_WIZARD}?team=payments`);

    // Assert: the note, the interval and the window from config/teams.json, and the limit.
    expect(screen.getByText('Filled in with the defaults of team Payments')).toBeInTheDocument();
    expect(portalAsks.at(-1)?.searchParams.get('team')).toBe('payments');
    expect(screen.getByRole('radio', { name: '30 days' })).toBeChecked();
    expect(screen.getByLabelText('Window duration')).toHaveValue('4h');
    expect(screen.getByText('Team payments allows at most 90 days between rotations.')).toBeInTheDocument();

    // Act
    await toReview(user);

    // Assert
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    expect(lastPlan(calls)).toMatchObject({
      secretId: 'prod/payments/reports-db',
      schedule: { kind: 'days', days: 30 },
      duration: '4h',
      function: { mode: 'create', strategy: 'single-user' },
    });
  });

  it('When the operator asks for 120 days, then the field says the team allows at most 90 and Next stays on the step', async () => {
    // Arrange
    const { user } = await openFromPortal(`${PAYMENTS_WIZARD}?team=payments`);

    // Act
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    await user.type(screen.getByLabelText('Custom interval in days'), '120');
    await next(user);

    // Assert
    expect(screen.getAllByText(LIMIT).length).toBeGreaterThanOrEqual(2); // on the field and as the step's error
    expect(screen.getByRole('heading', { level: 1, name: 'Configure automatic rotation' })).toBeInTheDocument();
  });

  it('When a cron schedule leaves too long a gap, then the API preview\u2019s refusal shows on the expression and blocks Next', async () => {
    // Arrange
    const gap = 'Team payments allows at most 90 days between rotations; this schedule can leave 123 days between rotations.';
    const { user, calls } = await openFromPortal(`${PAYMENTS_WIZARD}?team=payments`, {
      preview: ({ body }) =>
        (body as { schedule: { kind: string } }).schedule.kind === 'expression'
          ? aSchedulePreview({ valid: false, errors: [gap], description: 'cron(0 8 1 1/4 ? *)', limit: { team: 'payments', maxIntervalDays: 90 } })
          : aSchedulePreview(),
    });
    await user.clear(screen.getByLabelText('Window duration'));

    // Act
    await user.type(screen.getByLabelText('Schedule expression'), 'cron(0 8 1 1/4 ? *)');
    await waitFor(() => expect(calls.previews.at(-1)).toMatchObject({ schedule: { kind: 'expression' }, secretId: 'prod/payments/reports-db' }));
    await screen.findByText(gap);
    await next(user);

    // Assert
    expect(await screen.findByText('Rotates cron(0 8 1 1/4 ? *): longer than the team allows')).toBeInTheDocument();
    expect(screen.getAllByText(gap).length).toBeGreaterThanOrEqual(2);
    expect(screen.getByRole('heading', { level: 1, name: 'Configure automatic rotation' })).toBeInTheDocument();
  });

  it('When the wizard is opened from the secret\u2019s page (no ?team=), then it starts from its own defaults but the team\u2019s limit still holds', async () => {
    // Act
    await openFromPortal(PAYMENTS_WIZARD);

    // Assert
    expect(screen.queryByText('Filled in with the defaults of team Payments')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Window duration')).toHaveValue('');
    expect(screen.getByText('Team payments allows at most 90 days between rotations.')).toBeInTheDocument();
  });
});
