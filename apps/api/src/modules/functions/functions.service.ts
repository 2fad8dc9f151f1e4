import { randomUUID } from 'node:crypto';
import {
  FUNCTION_SECRETS_SHOWN,
  FUNCTION_UPDATE_WORKFLOW,
  isAllowed,
  ownerInWords,
  resourceOwners,
  visibleTeams,
  inTeamScope,
  type FunctionListing as ListingAnswer,
  type FunctionsPage,
  type FunctionsQuery,
  type FunctionUpdatePreview,
  type FunctionUpdateRequest,
  type Principal,
  type Resource,
  type RotationFunctionRow,
} from '@rotation-console/contracts';
import {
  buildFunctionUpdatePlan,
  CONSOLE_FUNCTION_VARIABLES,
  defaultArtifactBucket,
  isConsoleFunction,
  runtimeEndOfLife,
  stackNameFor,
} from '@rotation-console/rotation';
import { LAMBDA_RUNTIME, ROTATION_TEMPLATE_PARAMETER_NAMES } from '@rotation-console/rotation-functions';
import type { Request } from 'express';
import { eachBounded } from '../../platform/each-bounded.ts';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.ts';
import type { Target } from '../../platform/targets/target.ts';
import type { TargetRegistry } from '../../platform/targets/target-registry.ts';
import { runInTarget } from '../../platform/targets/target-scope.ts';
import type { WorkflowEvents } from '../../platform/workflow/events.ts';
import { FINISHED_WORKFLOW } from '../../platform/workflow/records.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { IndexReader } from '../dashboard/index-reader.ts';
import type { RotatingSecretRow } from '../dashboard/index-store/reads.ts';
import type { SecretIndexStore } from '../dashboard/index-store/secret-index-store.ts';
import type { OwnershipService } from '../ownership/ownership.service.ts';
import type { FunctionArtifactSource } from '../rotation/function-artifact.ts';
import type { LastRotationEvidenceService } from '../secrets/last-rotation.ts';
import type { WorkflowStarter } from '../workflows/start-workflow.ts';
import type { FunctionListings } from './function-listings.ts';
import { functionKey, isRotationFunction, lastRotationFactsOf, latest, rotationOf, statusTells, toFunctionSecret, usersByFunction } from './function-rows.ts';
import type { FunctionsGateway, LambdaFunctionRecord } from './functions.aws.ts';

/** The workflow kind of an update of the console's function (its subject: the function's ARN). */
export const UPDATE_FUNCTION = FUNCTION_UPDATE_WORKFLOW;

/** Stack states from which a change set may update the stack. */
const DEPLOYED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);

interface Deps {
  targets: TargetRegistry;
  /** INDEX_TARGETS_AT_ONCE: targets listed at once. */
  targetsAtOnce: number;
  listings: FunctionListings;
  gateway: FunctionsGateway;
  index: SecretIndexStore;
  reader: IndexReader;
  lastRotation: LastRotationEvidenceService;
  ownership: Pick<OwnershipService, 'functionFacts'>;
  artifact: FunctionArtifactSource;
  artifactBucket?: string | undefined;
  store: WorkflowStore;
  start: WorkflowStarter;
  teamTagKey: string;
  now?: () => Date;
}

/** A function as the policy sees it, with the secrets it rotates (every team's). */
interface FunctionSubject {
  target: Target;
  fn: LambdaFunctionRecord & { tags: Record<string, string> };
  users: RotatingSecretRow[];
  owners: string[];
  resource: Extract<Resource, { type: 'function' }>;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The team whose role an owner's change of the function runs under: the principal's own among the owners, else the one owner. */
export const actingTeam = (principal: Principal, owners: readonly string[]): string | null =>
  owners.find((team) => principal.teams.includes(team)) ?? (owners.length === 1 ? owners[0]! : null);

/**
 * The Functions page: the rotation functions of every target (Lambda's list, kept a minute per
 * target: function-listings.ts), each with what the index knows of the secrets it rotates and how
 * their last rotations went (no CloudWatch Logs read on the page's behalf), its owner as the one
 * policy decides, its runtime's end of life, and for the console's own function whether it runs
 * the current code; and the Update of that function, previewed and run as a workflow.
 */
export const createFunctionsService = (deps: Deps) => {
  const { targets, listings, gateway, index, reader, lastRotation, ownership, artifact, teamTagKey } = deps;
  const now = deps.now ?? (() => new Date());
  /** The updates this process started, by workflow id, with their target: forgotten from the listings the moment they end. */
  const updating = new Map<string, string>();

  const ownersOf = (fn: { arn: string; name: string; tags: Record<string, string> }, users: readonly RotatingSecretRow[]) => {
    const facts = ownership.functionFacts(
      fn,
      users.map((u) => ({ functionName: fn.name, team: u.team })),
      teamTagKey,
    );
    return { owners: resourceOwners(facts), owner: ownerInWords(facts) };
  };

  /** The function `functionArn` names, read from Lambda now, with its owners; 404 to who may not see it, 403 to who may see but not `action`. */
  const subjectOf = async (principal: Principal, functionArn: string, action: 'functions:list' | 'functions:update'): Promise<FunctionSubject> => {
    const target = await targets.forArn(functionArn, `Lambda function "${functionArn}"`);
    return runInTarget(target, async () => {
      const missing = new NotFoundError({ message: `Lambda function "${functionArn}" was not found.` });
      const [fn, rows] = await Promise.all([gateway.function(functionArn), index.rotatingSecrets({ accountId: target.accountId, region: target.region })]);
      if (!fn) throw missing;
      const users = usersByFunction(rows).get(functionKey(target.accountId, target.region, fn.name)) ?? [];
      const { owners, owner } = ownersOf(fn, users);
      const resource = { type: 'function' as const, name: fn.name, owners };
      if (!isAllowed(principal, 'functions:list', resource)) throw missing;
      if (!isAllowed(principal, action, resource)) {
        const why = principal.roles.includes('operator') ? `it belongs to ${owner}` : 'your role may only read';
        throw new NotAllowedError({ message: `You are not allowed to ${action} on ${fn.name}: ${why}.` });
      }
      return { target, fn, users, owners, resource };
    });
  };

  /** What updating the function would do, read now; `refusal` says why it cannot run (and the plan's steps are empty then). */
  const draft = async ({ target, fn, users }: FunctionSubject) => {
    const code = await artifact();
    const stackName = stackNameFor(fn.name);
    const stack = isConsoleFunction(fn.variableNames) ? await runInTarget(target, () => gateway.stack(stackName)) : null;
    const base = {
      functionName: fn.name,
      functionArn: fn.arn,
      accountId: target.accountId,
      region: target.region,
      stackName: stack?.name ?? null,
      currentCodeSha256: fn.codeSha256,
      newCodeSha256: code.sha256,
      secrets: users.map((u) => ({ name: u.name, team: u.team })),
      acknowledgementRequired: users.length > 0,
    };
    const refuse = (reason: string) => ({
      preview: { ...base, allowed: false, reason, steps: [], stages: [], cliSession: '', warnings: [] } satisfies FunctionUpdatePreview,
      steps: [],
    });
    if (!isConsoleFunction(fn.variableNames)) {
      return refuse(
        `${fn.name} is not the console's rotation function (its environment has no ${CONSOLE_FUNCTION_VARIABLES.join(' and ')}): update it where it was made.`,
      );
    }
    if (fn.codeSha256 === code.sha256) return refuse(`${fn.name} already runs the console's current code (CodeSha256 ${code.sha256}).`);
    if (!stack || stack.functionName !== fn.name) {
      return refuse(
        `${fn.name} was not deployed through the console's stack ${stackName}${stack ? ', which holds another function' : ''}, so the console cannot update it: create a new function in the rotation wizard, or update it where it was made.`,
      );
    }
    if (!DEPLOYED.has(stack.status)) return refuse(`Stack ${stack.name} is ${stack.status}: update the function once the stack's last change has ended.`);

    const { accountId, region } = target;
    const placement = {
      bucket: deps.artifactBucket ?? defaultArtifactBucket(accountId, region),
      key: code.key,
      sha256: code.sha256,
      managed: !deps.artifactBucket,
    };
    const kept = ROTATION_TEMPLATE_PARAMETER_NAMES.filter((name) => Object.hasOwn(stack.parameters, name) && name !== 'codeS3Bucket' && name !== 'codeS3Key');
    const built = buildFunctionUpdatePlan({
      region,
      accountId,
      partition: fn.arn.split(':')[1] ?? 'aws',
      functionName: fn.name,
      stackName: stack.name,
      changeSetName: `rotation-console-update-${Buffer.from(code.sha256, 'base64').toString('hex').slice(0, 12)}-${randomUUID().slice(0, 8)}`,
      artifact: placement,
      keptParameters: kept,
      assumedRole: target.roleArn ? { roleArn: target.roleArn, accountId } : null,
    });
    const warnings = [
      ...(users.length > 0
        ? [
            `${fn.name} rotates ${users.length === 1 ? '1 secret' : `${users.length} secrets`} (listed below): every rotation from now on runs the new code. A rotation running while Lambda changes the code finishes on the code it started with.`,
          ]
        : []),
      ...(fn.runtime && fn.runtime !== LAMBDA_RUNTIME ? [`The runtime moves from ${fn.runtime} to ${LAMBDA_RUNTIME}, the current template's.`] : []),
      `Every other parameter of stack ${stack.name} keeps its value (${kept.join(', ')}), and so do its tags: the function keeps its network, strategy and engine.`,
    ];
    return {
      preview: {
        ...base,
        allowed: true,
        reason: null,
        steps: built.steps.map(({ input: _i, ...step }) => step),
        stages: built.stages,
        cliSession: built.cliSession,
        warnings,
      } satisfies FunctionUpdatePreview,
      steps: built.steps,
    };
  };

  /** The page's rows of one target: its rotation functions, each with what the index knows of its secrets. */
  const rowsOf = async (
    target: Target,
    users: Map<string, RotatingSecretRow[]>,
    principal: Principal,
    currentSha: string,
  ): Promise<{ rows: (RotationFunctionRow & { pending: RotatingSecretRow | null })[]; listedAt: Date }> => {
    const listing = await listings.get(target);
    const usersOf = (f: LambdaFunctionRecord) => users.get(functionKey(target.accountId, target.region, f.name)) ?? [];
    const candidates = listing.functions.filter((f) => isRotationFunction(f.variableNames, usersOf(f).length));
    const tags = await listings.tags(
      target,
      candidates.map((f) => f.arn),
    );
    const scope = visibleTeams(principal);
    const at = now();
    const rows = candidates.flatMap((f) => {
      const served = usersOf(f);
      const { owners, owner } = ownersOf({ ...f, tags: tags.get(f.arn) ?? {} }, served);
      if (!isAllowed(principal, 'functions:list', { type: 'function', name: f.name, owners })) return [];
      // Of the secrets it rotates, the caller is shown those it may read.
      const visible = served.filter((s) => inTeamScope(scope, s.team));
      const last = latest(visible) ?? null;
      const failures = visible.filter((s) => s.status === 'pending_or_failed');
      const lastFailure = latest(failures);
      const consoleFunction = isConsoleFunction(f.variableNames);
      return [
        {
          accountId: target.accountId,
          accountName: target.accountName,
          region: target.region,
          name: f.name,
          arn: f.arn,
          description: f.description,
          runtime: f.runtime,
          runtimeEndOfLife: f.runtime ? runtimeEndOfLife(f.runtime, at) : null,
          owners,
          owner,
          secrets: visible.slice(0, FUNCTION_SECRETS_SHOWN).map(toFunctionSecret),
          secretCount: visible.length,
          lastRotation: last && statusTells(last) ? rotationOf(last, null) : null,
          // The latest rotation whose status does not tell: its recorded verdict is looked up below, for every row at once.
          pending: last && !statusTells(last) ? last : null,
          failing: failures.length,
          lastFailure: lastFailure ? rotationOf(lastFailure, null) : null,
          consoleFunction,
          codeSha256: f.codeSha256,
          atCurrentVersion: consoleFunction ? f.codeSha256 === currentSha : null,
        },
      ];
    });
    return { rows, listedAt: listing.at };
  };

  return {
    async page(principal: Principal, query: FunctionsQuery): Promise<FunctionsPage> {
      const chosen = (await targets.list()).filter((t) => (!query.account || t.accountId === query.account) && (!query.region || t.region === query.region));
      const read = await reader.read();
      const place = { accountId: query.account, region: query.region };
      const [freshness, rotating, code] = await Promise.all([
        reader.freshnessOf(read, visibleTeams(principal)),
        reader.cached(read, `functions:${query.account ?? ''}:${query.region ?? ''}`, () =>
          read.firstPage
            ? Promise.resolve(read.firstPage.filter((r) => r.rotation_enabled === 1 && r.lambda_arn && !r.owning_service))
            : index.rotatingSecrets(place),
        ),
        artifact(),
      ]);
      const users = usersByFunction(rotating);
      const rows: Awaited<ReturnType<typeof rowsOf>>['rows'] = [];
      const listed: ListingAnswer[] = [];
      await eachBounded(chosen, deps.targetsAtOnce, async (target) => {
        const ref = { accountId: target.accountId, accountName: target.accountName, region: target.region };
        try {
          const found = await rowsOf(target, users, principal, code.sha256);
          rows.push(...found.rows);
          listed.push({ ...ref, state: 'listed', listedAt: found.listedAt.toISOString(), error: null, functions: found.rows.length });
        } catch (error) {
          // A target Lambda does not answer for (its role refused, its region not enabled) holds back no other.
          listed.push({ ...ref, state: 'failed', listedAt: null, error: messageOf(error), functions: 0 });
        }
      });
      // The verdicts the crawl recorded from the functions' logs, for the latest rotations whose status does not tell.
      const asked = rows.flatMap((r) => (r.pending ? [r.pending] : []));
      const verdicts = asked.length ? await lastRotation.recorded(asked.map(lastRotationFactsOf)) : new Map();
      const items = rows
        .map(({ pending, ...row }) => (pending ? { ...row, lastRotation: rotationOf(pending, verdicts.get(pending.arn) ?? null) } : row))
        .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region) || a.name.localeCompare(b.name));
      listed.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
      return { items, targets: listed, currentCodeSha256: code.sha256, freshness };
    },

    /** What the update would do, read now; changes nothing. */
    async preview(principal: Principal, request: FunctionUpdateRequest): Promise<FunctionUpdatePreview> {
      return (await draft(await subjectOf(principal, request.functionArn, 'functions:list'))).preview;
    },

    /** Starts the update as a workflow (or gives back the one this Idempotency-Key started). */
    async start(req: Request, request: FunctionUpdateRequest, idempotencyKey: string | null): Promise<{ id: string; status: string }> {
      const subject = await subjectOf(req.principal, request.functionArn, 'functions:update');
      const drafted = await draft(subject);
      const { preview } = drafted;
      if (idempotencyKey) {
        const earlier = (await deps.store.list({ subject: subject.fn.arn, limit: 200, cursor: null })).items.find((w) => w.idempotencyKey === idempotencyKey);
        if (earlier) {
          if (earlier.kind !== UPDATE_FUNCTION || earlier.createdBy.id !== req.principal.id) {
            throw new ConflictError({ message: 'This Idempotency-Key was already used for a different request.' });
          }
          return earlier;
        }
      }
      if (!preview.allowed) throw new ConflictError({ message: preview.reason ?? `${subject.fn.name} cannot be updated now.` });
      if (preview.acknowledgementRequired && !request.acknowledgeSharedFunction) {
        const message = `Lambda function ${subject.fn.name} rotates ${preview.secrets.map((s) => s.name).join(', ')}; the update changes the code each of their rotations runs. Read the preview and acknowledge the change to continue.`;
        throw new InputError({ message, details: [{ path: 'acknowledgeSharedFunction', message }] });
      }
      const workflow = await deps.start(req, {
        kind: UPDATE_FUNCTION,
        subject: subject.fn.arn,
        input: { functionArn: subject.fn.arn, preview },
        plan: { steps: drafted.steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title, dependsOn: s.dependsOn, input: s.input })) },
        idempotencyKey,
        // One change at a time per function.
        exclusive: (other) => `A workflow for ${subject.fn.name} is already running (${other.kind}, ${other.id}); wait for it to finish.`,
        audit: { action: 'function.update', before: { codeSha256: subject.fn.codeSha256, runtime: subject.fn.runtime, stackName: preview.stackName } },
      });
      updating.set(workflow.id, subject.target.key);
      return workflow;
    },

    /**
     * The function's name and owners now (null when it is gone): who may read an update's workflow,
     * and whether its creator may still run it (workflow-admission.ts).
     */
    async functionOwners(functionArn: string): Promise<{ name: string; owners: string[]; owner: string } | null> {
      const target = await targets.forArn(functionArn, `Lambda function "${functionArn}"`);
      return runInTarget(target, async () => {
        const [fn, rows] = await Promise.all([gateway.function(functionArn), index.rotatingSecrets({ accountId: target.accountId, region: target.region })]);
        if (!fn) return null;
        return { name: fn.name, ...ownersOf(fn, usersByFunction(rows).get(functionKey(target.accountId, target.region, fn.name)) ?? []) };
      });
    },

    /** Once an update ends, its target's functions are listed again on the next page, so the new code shows at once. */
    subscribe(events: WorkflowEvents): void {
      events.on('workflow', (e) => {
        if (!FINISHED_WORKFLOW.has(e.status as never)) return;
        const started = updating.get(e.workflowId);
        if (started) {
          updating.delete(e.workflowId);
          listings.forget(started);
          return;
        }
        // An update this process resumed (another one started it): its kind is in the store.
        void deps.store
          .get(e.workflowId)
          .then(async (workflow) => {
            if (workflow?.kind !== UPDATE_FUNCTION) return;
            listings.forget((await targets.forArn(workflow.subject)).key);
          })
          .catch(() => undefined);
      });
    },
  };
};
export type FunctionsService = ReturnType<typeof createFunctionsService>;
