import {
  owningServiceName,
  ROTATE_IMMEDIATELY_WARNING,
  type Principal,
  type RotationPlan,
  type RotationRequest,
  type SharedFunctionImpact,
} from '@rotation-console/contracts';
import {
  buildRotationPlan,
  defaultArtifactBucket,
  describeSchedule,
  freezeRefusalText,
  nextWindows,
  openWindows,
  rotationFreezeWarning,
  scheduleLimitProblem,
  validateSchedule,
  type BuiltPlan,
} from '@rotation-console/rotation';
import { InputError } from '../../platform/errors.ts';
import { currentTarget } from '../../platform/targets/target-scope.ts';
import { ownershipTags, teamOf } from '../../platform/team-tag.ts';
import { scheduleLimitOf, type Teams } from '../../platform/teams-config.ts';
import type { OwnershipService } from '../ownership/ownership.service.ts';
import type { DiscoveryGateway } from './discovery.aws.ts';
import type { FunctionArtifactSource } from './function-artifact.ts';
import type { FunctionSourceResolver } from './function-source.ts';
import type { NetworkService } from './network.service.ts';
import type { FreezeService } from '../freeze/freeze.service.ts';
import type { SecretCheckService } from './secret-check.service.ts';
import { authorizeRotationRequest, type SecretRefReader } from './secret-ref.ts';

/** How far ahead the plan looks for scheduled rotations that fall in a freeze window. */
const FREEZE_LOOKAHEAD_DAYS = 30;

/** Lambda's rule for function names, which the templates' functionName parameter follows too. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

interface Deps {
  discovery: DiscoveryGateway;
  secretCheck: SecretCheckService;
  network: NetworkService;
  ownership: OwnershipService;
  secretRef: SecretRefReader;
  functionSource: FunctionSourceResolver;
  artifact: FunctionArtifactSource;
  artifactBucket?: string;
  teamTagKey: string;
  /** The teams' settings: a team's limit on its schedules is enforced here, for plans and workflows alike. */
  teams: Teams;
  /** The teams' freeze windows: the plan warns when Save or the schedule's next rotations fall in one. */
  freeze?: Pick<FreezeService, 'windowsOf'>;
  now?: () => Date;
}

/** Why a plan that changes a function other secrets use waits for `acknowledgeSharedFunction` (a batch started from its preview says it too). */
export const acknowledgementMissing = (sharedFunction: SharedFunctionImpact): string =>
  `Lambda function ${sharedFunction.functionName} also rotates ${sharedFunction.otherSecrets.map((s) => s.name).join(', ')}; this plan changes its ${sharedFunction.changes.map((c) => c.what).join(', ')}. Read the plan and acknowledge the change to continue.`;

const refuse = (path: string, message: string): never => {
  throw new InputError({ message, details: [{ path, message }] });
};

/**
 * Turns a rotation request into a plan, reading AWS but changing nothing. Every reason
 * AWS would refuse the request is found here, before anything runs.
 */
export const createPlanService = ({
  discovery,
  secretCheck,
  network,
  ownership,
  secretRef,
  functionSource,
  artifact,
  artifactBucket,
  teamTagKey,
  teams,
  freeze,
  now = () => new Date(),
}: Deps) => {
  const validateNetwork = async (request: RotationRequest) => {
    const chosen = request.network;
    if (!chosen) return [];
    const detail = await network.vpcDetail(chosen.vpcId).catch((error: Error) => {
      if (error.name === 'NotFoundError') refuse('network.vpcId', `VPC "${chosen.vpcId}" does not exist in ${discovery.region()}.`);
      throw error;
    });
    const subnetIds = new Set(detail.subnets.map((s) => s.id));
    const groupIds = new Set(detail.securityGroups.map((g) => g.id));
    for (const id of chosen.subnetIds) if (!subnetIds.has(id)) refuse('network.subnetIds', `Subnet "${id}" is not in ${chosen.vpcId}.`);
    for (const id of chosen.securityGroupIds) if (!groupIds.has(id)) refuse('network.securityGroupIds', `Security group "${id}" is not in ${chosen.vpcId}.`);
    const warnings: string[] = [];
    if (chosen.createSecretsManagerEndpoint && detail.secretsManagerEndpointId) {
      warnings.push(
        `${chosen.vpcId} already has a Secrets Manager endpoint (${detail.secretsManagerEndpointId}); the plan uses it instead of creating another.`,
      );
    }
    const chosenSubnets = detail.subnets.filter((s) => chosen.subnetIds.includes(s.id));
    if (!chosen.createSecretsManagerEndpoint && !detail.secretsManagerEndpointId && chosenSubnets.every((s) => !s.hasRouteOut)) {
      warnings.push(
        'The chosen subnets have no route out and the VPC has no Secrets Manager endpoint: the function will not reach Secrets Manager and rotation will fail.',
      );
    }
    return warnings;
  };

  /** Who owns every resource the request touches; refuses (403/409) what the caller may not use. */
  /** `impact`: the plan's listing of a shared function's changes, for which the master secret's ARN (read by the secret check) is needed. */
  const resolveOwnership = async (
    principal: Principal,
    secret: { name: string; arn: string; team: string | null },
    request: RotationRequest,
    impact: { masterSecretArn: string | null } | null,
  ) => {
    // The database's network matters only where the request names one.
    const database = request.network ? await network.databaseNetwork(secret.arn) : null;
    return ownership.resolve(principal, secret, request, { teamTagKey, database, impact: impact !== null, masterSecretArn: impact?.masterSecretArn ?? null });
  };

  /**
   * Freeze windows: Save that rotates at once is refused inside an open window (the workflow's start
   * checks it); and AWS's own schedule is not held back, so rotations of the next 30 days that fall
   * in a window are named.
   */
  const freezeWarnings = async (team: string | null, rules: Parameters<typeof nextWindows>[0], rotateImmediately: boolean): Promise<string[]> => {
    const windows = freeze && team !== null ? await freeze.windowsOf(team) : [];
    if (!windows.length) return [];
    const at = now();
    const out: string[] = [];
    const open = openWindows(windows, at);
    if (rotateImmediately && open.length) out.push(`Save will be refused: ${freezeRefusalText(open, team!)}`);
    const horizon = at.getTime() + FREEZE_LOOKAHEAD_DAYS * 86_400_000;
    const named = new Set<string>();
    for (const window of nextWindows(rules, at, 60).filter((w) => w.start.getTime() < horizon)) {
      const warning = rotationFreezeWarning(windows, window, at, `The scheduled rotation of ${window.start.toISOString().slice(0, 10)}`);
      // One line per freeze window: a daily schedule would otherwise repeat it for every day of a long freeze.
      if (warning && !named.has(warning.windowName)) {
        named.add(warning.windowName);
        out.push(warning.message);
      }
    }
    return out;
  };

  return {
    /**
     * The ownership check again, for a workflow about to run a step: the same rules as the plan,
     * without the impact listing (the operator already acknowledged it).
     */
    async recheck(principal: Principal, request: RotationRequest, secret?: { name: string; arn: string; team: string | null }): Promise<void> {
      // `secret`: the caller's own read of the request's secret, moments ago (a workflow's admission), not read twice.
      await resolveOwnership(principal, secret ?? (await secretRef(request.secretId)), request, null);
    },

    /**
     * The plan, for `principal`: authorized first (a secret the caller may not see looks missing,
     * whatever else is wrong with the request), then every read, then the owner of every resource.
     */
    async plan(
      principal: Principal,
      request: RotationRequest,
      purpose: 'rotation:plan' | 'workflows:start',
    ): Promise<{ plan: RotationPlan; built: BuiltPlan; team: string | null; before: unknown }> {
      const owned = await authorizeRotationRequest(principal, purpose, request, secretRef);
      const schedule = validateSchedule({ schedule: request.schedule, ...(request.duration ? { duration: request.duration } : {}) });
      if (!schedule.ok) {
        throw new InputError({
          message: `Invalid rotation schedule: ${schedule.errors.join(' ')}`,
          details: schedule.errors.map((message) => ({ path: request.schedule.kind === 'days' ? 'schedule.days' : 'schedule.expression', message })),
        });
      }
      const fn = request.function;
      if (fn.mode === 'create' && !FUNCTION_NAME.test(fn.functionName)) {
        refuse('function.functionName', `Lambda refuses the function name "${fn.functionName}": use 1 to 64 letters, digits, hyphens or underscores.`);
      }
      if (fn.strategy === 'alternating-users' && !fn.masterSecretId) {
        refuse('function.masterSecretId', 'Multi-user rotation needs a master secret.');
      }

      // Every read the plan needs, side by side: the secret and its check, the function, the network, the account.
      const [check, existingRole, warnings, accountId, source] = await Promise.all([
        secretCheck.check(request.secretId, fn.strategy, fn.masterSecretId),
        fn.mode === 'existing'
          ? discovery.function(fn.functionArn).then(
              (existing) => existing.role?.split('/').pop() ?? null,
              (error: Error) =>
                error.name === 'NotFoundError' ? refuse('function.functionArn', `Lambda function "${fn.functionArn}" does not exist.`) : Promise.reject(error),
            )
          : Promise.resolve(null),
        validateNetwork(request),
        discovery.accountId(),
        fn.mode === 'create' ? functionSource() : Promise.resolve('existing' as const),
      ]);
      const secret = check.described;
      if (secret.owningService) {
        refuse(
          'secretId',
          `${secret.name} is managed by ${owningServiceName(secret.owningService)}; turn its rotation on in ${owningServiceName(secret.owningService)}, not here.`,
        );
      }
      const team = teamOf(secret.tags, teamTagKey);
      const limit = scheduleLimitOf(teams, team);
      const beyondLimit = limit ? scheduleLimitProblem(schedule.rules, limit) : null;
      if (beyondLimit) refuse('schedule', beyondLimit);
      if (!check.ok) {
        const problems = [
          ...check.secret.problems,
          ...check.secret.fields.filter((f) => f.verdict !== 'ok').map((f) => f.message),
          ...(check.masterSecret?.problems ?? []),
          ...(check.masterSecret?.fields.filter((f) => f.verdict !== 'ok').map((f) => f.message) ?? []),
        ];
        refuse(
          problems.some((p) => /master/i.test(p)) ? 'function.masterSecretId' : 'secretId',
          `The secret is not ready for this rotation: ${problems.join(' ')}`,
        );
      }
      const { resources, sharedFunction } = await resolveOwnership(principal, owned, request, { masterSecretArn: check.masterSecretArn });
      if (purpose === 'workflows:start' && sharedFunction?.acknowledgementRequired && !request.acknowledgeSharedFunction) {
        refuse('acknowledgeSharedFunction', acknowledgementMissing(sharedFunction));
      }
      const region = discovery.region();
      const effectiveRequest: RotationRequest =
        request.network?.createSecretsManagerEndpoint && warnings.some((w) => w.includes('already has a Secrets Manager endpoint'))
          ? { ...request, network: { ...request.network, createSecretsManagerEndpoint: false } }
          : request;
      // The console creates and locks down its own bucket; ARTIFACT_BUCKET is the operator's, used as it is.
      const code = source === 'bundled-template' ? await artifact() : undefined;
      const artifactInfo = code
        ? { bucket: artifactBucket ?? defaultArtifactBucket(accountId, region), key: code.key, sha256: code.sha256, managed: !artifactBucket }
        : undefined;
      // The console's own bucket: every team's new functions come from its artifact there.
      if (artifactInfo)
        resources.push({
          kind: 'bucket',
          id: artifactInfo.bucket,
          owner: artifactInfo.managed ? 'the console' : 'the operator (ARTIFACT_BUCKET)',
          use: artifactInfo.managed ? 'change' : 'use',
        });

      const built = buildRotationPlan({
        region,
        accountId,
        secret: { arn: secret.arn, name: secret.name, engine: check.secret.engine },
        request: effectiveRequest,
        rules: schedule.rules,
        masterSecretArn: check.masterSecretArn,
        functionSource: source,
        ...(artifactInfo ? { artifact: artifactInfo } : {}),
        existingFunctionRoleName: existingRole,
        ownerTags: ownershipTags(team, teamTagKey),
        assumedRole: currentTarget()?.roleArn ? { roleArn: currentTarget()!.roleArn!, accountId } : null,
      });
      if (request.rotateImmediately) warnings.unshift(ROTATE_IMMEDIATELY_WARNING);
      warnings.push(...(await freezeWarnings(team, schedule.rules, request.rotateImmediately)));
      const plan: RotationPlan = {
        secretArn: secret.arn,
        secretName: secret.name,
        engine: check.secret.engine,
        strategy: fn.strategy,
        functionSource: source,
        schedule: {
          description: describeSchedule(schedule.rules),
          windows: nextWindows(schedule.rules, now()).map((w) => ({ start: w.start.toISOString(), end: w.end.toISOString() })),
        },
        steps: built.steps.map(({ input: _input, ...step }) => step),
        stages: built.stages,
        cliSession: built.cliSession,
        check: { ok: check.ok, secret: check.secret, masterSecret: check.masterSecret },
        warnings,
        resources,
        sharedFunction,
      };
      return { plan, built, team, before: secret.rotation };
    },
  };
};
export type PlanService = ReturnType<typeof createPlanService>;
