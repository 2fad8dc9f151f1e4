import {
  batchActionLabels,
  BATCH_MAX_SECRETS,
  type BatchAction,
  type BatchActionName,
  type BatchPlanView,
  type BatchPreflightSummary,
  type BatchRefusal,
  type BatchRequest,
  type BatchSecretPlan,
  type BatchSecretSchedule,
  type BatchSelection,
  type BatchStep,
  type EnableBatchAction,
  type Operation,
  type OwnedResource,
  type PreflightReport,
  type Principal,
  type RotationPlan,
  type RotationRequest,
  visibleTeams,
} from '@rotation-console/contracts';
import {
  beforeOf,
  describeSchedule,
  nextWindows,
  spreadOffsets,
  staggerSchedules,
  unfinishedPendingOf,
  validateSchedule,
  shellQuote,
  type PlannedStep,
  type StaggeredSchedule,
} from '@rotation-console/rotation';
import { eachBounded } from '../../platform/each-bounded.ts';
import { AppError, ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.ts';
import { ROTATE_SECRET_PER_SECOND } from '../../platform/targets/request-pacer.ts';
import type { TargetRegistry } from '../../platform/targets/target-registry.ts';
import { runInTarget } from '../../platform/targets/target-scope.ts';
import { runForPrincipal } from '../../platform/team-role.ts';
import { teamOf } from '../../platform/team-tag.ts';
import type { Teams } from '../../platform/teams-config.ts';
import type { StepSpec } from '../../platform/workflow/records.ts';
import type { DashboardService } from '../dashboard/dashboard.service.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import type { PreflightService } from '../preflight/preflight.service.ts';
import type { PlanService } from '../rotation/plan.service.ts';
import { ENABLE_ROTATION } from '../workflows/workflows.router.ts';
import type { BatchStore, ItemWorkflowSpec, NewBatchItem } from './batch-store.ts';

/** The steps each secret of an enable batch runs itself; every other step of its plan is about the function, done once for all. */
const OWN_STEP_KINDS: ReadonlySet<string> = new Set(['rotate-secret', 'watch-first-rotation']);

/** What each operation step calls, for the plan (an operation's own preview lists actions, not calls). */
const OPERATION_CALLS: Record<string, string[]> = {
  'rotate-secret-now': ['secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:RotateSecret'],
  'watch-first-rotation': ['secretsmanager:DescribeSecret', 'logs:FilterLogEvents'],
  'cancel-rotation': ['secretsmanager:DescribeSecret', 'secretsmanager:CancelRotateSecret'],
  'revoke-master-secret-access': ['lambda:GetFunctionConfiguration', 'iam:GetRolePolicy', 'iam:PutRolePolicy'],
};

/** A secret planned for the batch: its line of the preview and, when included, the workflow it becomes. */
export interface PlannedSecret {
  line: BatchSecretPlan;
  spec: ItemWorkflowSpec | null;
  startOffsetMs: number | null;
  /** Enable batches: the whole plan's steps, the shared ones among them. */
  sharedSteps: PlannedStep[];
  resources: OwnedResource[];
  /** Enable batches: the request that planned it (the shared workflow's, for the first one). */
  request: RotationRequest | null;
  engine: string | null;
  /** Enable batches, until the secret gets its schedule: its plan, own steps and state before. */
  enable?: { plan: RotationPlan; own: PlannedStep[]; before: unknown };
}

export interface BatchPlan {
  preview: BatchPlanView;
  items: NewBatchItem[];
  /** The shared workflow, when there is one: planned with the first included secret's request. */
  shared: { subject: string; input: unknown; steps: StepSpec[] } | null;
}

interface Deps {
  plans: Pick<PlanService, 'plan'>;
  operations: Pick<OperationsService, 'draftFor'>;
  dashboard: Pick<DashboardService, 'list'>;
  /** The preflight's cheap checks (no database login through the function). */
  preflight: Pick<PreflightService, 'forRequest' | 'forSecret'>;
  batches: Pick<BatchStore, 'activeWorkflows'>;
  targets: Pick<TargetRegistry, 'scopeFor'>;
  teams: Teams;
  teamTagKey: string;
  /** Secrets planned at once. */
  concurrency: number;
  /** Runs one batch's planning with the reads its secrets share done once (function-users-memo.ts). */
  withinOnePlan?: <T>(fn: () => Promise<T>) => Promise<T>;
  now?: () => Date;
}

const ARN = /^arn:[^:]+:secretsmanager:([^:]+):(\d{12}):secret:/;
const placeOf = (arn: string) => {
  const m = ARN.exec(arn);
  return { region: m?.[1] ?? '', accountId: m?.[2] ?? '' };
};

/** Why a secret cannot be part of the batch, from what planning it threw; null for an error that is the console's own. */
const refusalOf = (error: unknown): BatchRefusal | null => {
  if (error instanceof NotFoundError) return { reason: 'not-found', message: error.message };
  if (error instanceof NotAllowedError || error instanceof ConflictError) return { reason: 'not-allowed', message: error.message };
  if (error instanceof InputError) return { reason: 'not-applicable', message: error.message };
  // Throttling or an AWS error on this secret: not the whole preview's failure; it says so, and a new preview may include it.
  if (error instanceof AppError) return { reason: 'not-applicable', message: `Could not plan it: ${error.message}` };
  return null;
};

const count = (n: number) => `${n} secret${n === 1 ? '' : 's'}`;

/** The batch in words: "Enable automatic rotation for 12 secrets (1 refused)". */
export const batchSummary = (action: BatchActionName, included: number, refused: number) =>
  `${batchActionLabels[action]} for ${count(included)}${refused ? ` (${refused} refused)` : ''}`;

const toBatchStep = ({ input: _input, ...step }: PlannedStep): BatchStep => step;

const preflightSummary = (report: PreflightReport): BatchPreflightSummary => ({
  verdict: report.verdict,
  findings: report.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'unknown').map((c) => `${c.title}: ${c.summary}`),
});

/** A failing preflight as a refusal: the failing checks' summaries (never a value). */
const preflightRefusal = (report: PreflightReport): BatchRefusal => ({
  reason: 'preflight-failed',
  message:
    report.checks
      .filter((c) => c.verdict === 'fail')
      .map((c) => `${c.title}: ${c.summary}`)
      .join(' ') || 'The preflight failed.',
});

const scheduleOf = (choice: StaggeredSchedule, now: Date): BatchSecretSchedule => {
  const valid = validateSchedule(choice.request);
  const rules = valid.ok ? valid.rules : {};
  const next = valid.ok ? nextWindows(valid.rules, now, 1)[0] : undefined;
  return {
    scheduleExpression: rules.ScheduleExpression ?? null,
    automaticallyAfterDays: rules.AutomaticallyAfterDays ?? null,
    duration: rules.Duration ?? null,
    description: valid.ok ? describeSchedule(valid.rules) : valid.errors.join(' '),
    nextWindow: next ? { start: next.start.toISOString(), end: next.end.toISOString() } : null,
  };
};

/**
 * Builds a batch's one plan: the selection resolved to secrets, each planned by the planners that
 * exist (the wizard's plan service for enable, the operations' drafts for rotate and turn off), in
 * its own account-region and team scope, a few at a time; refusals named with their reason.
 */
export const createBatchPlanner = ({
  plans,
  operations,
  dashboard,
  preflight,
  batches,
  targets,
  teams,
  teamTagKey,
  concurrency,
  withinOnePlan = (fn) => fn(),
  now = () => new Date(),
}: Deps) => {
  /** The selection as secret ids: the ids given (each once), or every secret the dashboard's list shows the caller for the filter. */
  const resolveSelection = async (principal: Principal, selection: BatchSelection): Promise<string[]> => {
    if (selection.kind === 'secrets') return [...new Set(selection.secretIds)];
    const ids: string[] = [];
    const pageSize = 100;
    for (let offset = 0; ; offset += pageSize) {
      const page = await dashboard.list({ ...selection.filter, offset, limit: pageSize, sort: 'name', order: 'asc' }, visibleTeams(principal));
      if (page.total > BATCH_MAX_SECRETS) {
        throw new InputError({
          message: `The filter matches ${page.total} secrets; a batch holds at most ${BATCH_MAX_SECRETS}. Narrow the filter.`,
          details: [{ path: 'selection.filter', message: `matches ${page.total} secrets` }],
        });
      }
      ids.push(...page.items.map((r) => r.arn));
      if (page.items.length < pageSize || ids.length >= page.total) break;
    }
    if (ids.length === 0)
      throw new InputError({ message: 'The filter matches no secret you can see.', details: [{ path: 'selection.filter', message: 'no secret' }] });
    return ids;
  };

  /** Runs `fn` for one secret as a request about it alone would: in its account-region, under its team's role once authorized. */
  const inSecretScope = async <T>(principal: Principal, secretId: string, fn: () => Promise<T>): Promise<T> => {
    const target = await targets.scopeFor(secretId).catch(() => null);
    const scoped = () => runForPrincipal(principal, teams, fn);
    return target ? runInTarget(target, scoped) : scoped();
  };

  const refused = (
    secretId: string,
    refusal: BatchRefusal,
    known?: { arn: string; name: string; team: string | null },
    preflight: BatchPreflightSummary | null = null,
  ): PlannedSecret => ({
    line: {
      secretArn: known?.arn ?? secretId,
      secretName: known?.name ?? secretId,
      ...placeOf(known?.arn ?? secretId),
      team: known?.team ?? null,
      refusal,
      steps: [],
      schedule: null,
      startOffsetSeconds: null,
      preflight,
      cli: '',
    },
    spec: null,
    startOffsetMs: null,
    sharedSteps: [],
    resources: [],
    request: null,
    engine: null,
  });

  const planEnable = async (
    principal: Principal,
    secretId: string,
    action: EnableBatchAction,
    options: { preflight: boolean; purpose: 'rotation:plan' | 'workflows:start' },
  ): Promise<PlannedSecret> => {
    const request: RotationRequest = {
      secretId,
      schedule: action.schedule,
      ...(action.duration ? { duration: action.duration } : {}),
      rotateImmediately: action.rotateImmediately,
      function: action.function,
      network: action.network,
      acknowledgeSharedFunction: action.acknowledgeSharedFunction,
    };
    const { plan, built, team, before } = await plans.plan(principal, request, options.purpose);
    const known = { arn: plan.secretArn, name: plan.secretName, team };
    const active = (await batches.activeWorkflows([plan.secretArn])).get(plan.secretArn);
    if (active)
      return refused(secretId, { reason: 'in-progress', message: `A workflow for ${plan.secretName} is still running (${active.kind}, ${active.id}).` }, known);
    if (action.rotateImmediately) {
      const { state } = await operations.draftFor(principal, plan.secretArn, 'rotate-now');
      const stuck = unfinishedPendingOf(state);
      if (stuck) {
        return refused(
          secretId,
          {
            reason: 'in-progress',
            message: `Version ${stuck} of ${plan.secretName} still has AWSPENDING from a rotation that did not finish: clear the stuck rotation first.`,
          },
          known,
        );
      }
    }
    const report = options.preflight ? await preflight.forRequest(request) : null;
    const check = report ? preflightSummary(report) : null;
    if (report?.verdict === 'fail') return refused(secretId, preflightRefusal(report), known, check);
    // Without a rotation at once, the plan's last step only says "the first rotation runs in the next window" (no AWS call):
    // a batch leaves it out, since each step also costs the workflow's admission (its reads of the secret and the function).
    const own = built.steps
      .filter((s) => OWN_STEP_KINDS.has(s.kind) && (action.rotateImmediately || s.kind !== 'watch-first-rotation'))
      .map((s) => ({ ...s, dependsOn: s.dependsOn.filter((d) => OWN_STEP_KINDS.has(d)) }));
    return {
      line: {
        secretArn: plan.secretArn,
        secretName: plan.secretName,
        ...placeOf(plan.secretArn),
        team,
        refusal: null,
        steps: [],
        schedule: null,
        startOffsetSeconds: null,
        preflight: check,
        cli: '',
      },
      spec: null,
      startOffsetMs: null,
      sharedSteps: built.steps.filter((s) => !OWN_STEP_KINDS.has(s.kind)),
      resources: plan.resources,
      request,
      engine: plan.engine,
      enable: { plan, own, before },
    };
  };

  /**
   * An included secret of an enable batch, given its own schedule (its slot): the rules its
   * RotateSecret sends, the CLI, the plan stored with its workflow. The schedule differs from the
   * one planned only in its hour and Duration, so the team's limit on the interval still holds.
   */
  const withSchedule = (p: PlannedSecret, staggered: StaggeredSchedule): PlannedSecret => {
    const { plan, own, before } = p.enable!;
    const valid = validateSchedule(staggered.request);
    if (!valid.ok)
      return refused(
        p.line.secretArn,
        { reason: 'not-applicable', message: valid.errors.join(' ') },
        { arn: p.line.secretArn, name: p.line.secretName, team: p.line.team },
      );
    const rules = valid.rules;
    const steps = own.map((s) =>
      s.kind === 'rotate-secret'
        ? {
            ...s,
            input: { ...s.input, rules },
            cli: s.cli && s.cli.replace(/--rotation-rules '[^']*'/, `--rotation-rules ${shellQuote(JSON.stringify(rules))}`),
          }
        : s,
    );
    const request: RotationRequest = { ...p.request!, schedule: staggered.request.schedule };
    if (staggered.request.duration) request.duration = staggered.request.duration;
    else delete request.duration;
    const schedule = scheduleOf(staggered, now());
    return {
      ...p,
      request,
      line: {
        ...p.line,
        steps: steps.map(toBatchStep),
        schedule,
        cli: steps
          .map((s) => s.cli)
          .filter(Boolean)
          .join('\n'),
      },
      spec: {
        kind: ENABLE_ROTATION,
        input: {
          request,
          plan: {
            ...plan,
            schedule: {
              description: schedule.description,
              windows: nextWindows(rules, now()).map((w) => ({ start: w.start.toISOString(), end: w.end.toISOString() })),
            },
            steps: steps.map(toBatchStep),
            stages: [steps.map((s) => s.id)],
          },
        },
        steps: steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title, dependsOn: s.dependsOn, input: s.input })),
        audit: { action: 'rotation.enable', before },
        busy: `A rotation workflow for ${plan.secretName} is already running; wait for it to finish.`,
      },
    };
  };

  const planOperation = async (
    principal: Principal,
    secretId: string,
    operation: Extract<Operation, 'rotate-now' | 'turn-off'>,
    options: { preflight: boolean; offsetSeconds: number },
  ): Promise<PlannedSecret> => {
    const { state, draft } = await operations.draftFor(principal, secretId, operation);
    const known = { arn: state.arn, name: state.name, team: teamOf(state.tags, teamTagKey) };
    const active = (await batches.activeWorkflows([state.arn])).get(state.arn);
    if (active)
      return refused(secretId, { reason: 'in-progress', message: `A workflow for ${state.name} is still running (${active.kind}, ${active.id}).` }, known);
    const stuck = unfinishedPendingOf(state);
    if (operation === 'rotate-now' && stuck) {
      return refused(
        secretId,
        { reason: 'in-progress', message: `Version ${stuck} still has AWSPENDING from a rotation that did not finish: clear the stuck rotation first.` },
        known,
      );
    }
    if (!draft.preview.allowed)
      return refused(secretId, { reason: 'not-applicable', message: draft.preview.reason ?? `${operation} does not apply to ${state.name} now.` }, known);
    const report = options.preflight && operation === 'rotate-now' ? await preflight.forSecret(state.arn) : null;
    const check = report ? preflightSummary(report) : null;
    if (report?.verdict === 'fail') return refused(secretId, preflightRefusal(report), known, check);
    return {
      line: {
        secretArn: state.arn,
        secretName: state.name,
        ...placeOf(state.arn),
        team: known.team,
        refusal: null,
        steps: draft.steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title, dependsOn: s.dependsOn, awsCalls: OPERATION_CALLS[s.kind] ?? [], cli: null })),
        schedule: null,
        startOffsetSeconds: operation === 'rotate-now' ? options.offsetSeconds : null,
        preflight: check,
        cli: draft.preview.actions.map((a) => a.cli).join('\n'),
      },
      spec: {
        kind: operation,
        input: { operation, preview: draft.preview },
        steps: draft.steps,
        audit: { action: `secret.${operation}`, before: beforeOf(state) },
        busy: `A workflow for ${state.name} is already running; wait for it to finish.`,
      },
      startOffsetMs: operation === 'rotate-now' ? Math.round(options.offsetSeconds * 1000) : null,
      sharedSteps: [],
      resources: [],
      request: null,
      engine: null,
    };
  };

  return {
    async plan(principal: Principal, request: BatchRequest, purpose: 'rotation:plan' | 'workflows:start'): Promise<BatchPlan> {
      const ids = await resolveSelection(principal, request.selection);
      const action: BatchAction = request.action;
      const offsets = action.action === 'rotate' ? spreadOffsets(ids.length, action.spreadMinutes) : ids.map(() => 0);

      const planned: PlannedSecret[] = new Array<PlannedSecret>(ids.length);
      await withinOnePlan(() =>
        eachBounded(
          ids.map((id, i) => ({ id, i })),
          concurrency,
          async ({ id, i }) => {
            try {
              planned[i] = await inSecretScope(principal, id, () => {
                if (action.action === 'enable') return planEnable(principal, id, action, { preflight: request.preflight, purpose });
                return planOperation(principal, id, action.action === 'rotate' ? 'rotate-now' : 'turn-off', {
                  preflight: request.preflight,
                  offsetSeconds: offsets[i]!,
                });
              });
            } catch (error) {
              const refusal = refusalOf(error);
              if (!refusal) throw error;
              planned[i] = refused(id, refusal);
            }
          },
        ),
      );

      // The same secret named twice (by name and by ARN) is one secret: the first mention counts.
      const seen = new Set<string>();
      for (const [i, p] of planned.entries()) {
        if (seen.has(p.line.secretArn))
          planned[i] = refused(
            p.line.secretArn,
            { reason: 'not-applicable', message: 'Selected twice; it is planned once.' },
            {
              arn: p.line.secretArn,
              name: p.line.secretName,
              team: p.line.team,
            },
          );
        seen.add(p.line.secretArn);
      }

      // One function for every secret: in one account-region; a new one belongs to one team and rotates one engine.
      const first = planned.find((p) => !p.line.refusal);
      if (action.action === 'enable' && first) {
        for (const [i, p] of planned.entries()) {
          if (p.line.refusal || p === first) continue;
          const where = `${first.line.accountId}/${first.line.region}`;
          const why =
            p.line.accountId !== first.line.accountId || p.line.region !== first.line.region
              ? `The batch's function is in ${where}; this secret is in ${p.line.accountId}/${p.line.region}. Start a batch per account and Region.`
              : action.function.mode === 'create' && p.line.team !== first.line.team
                ? `The new function ${action.function.functionName} belongs to ${first.line.team ? `team ${first.line.team}` : 'no team'}; this secret is ${p.line.team ? `team ${p.line.team}'s` : 'untagged'}. Start a batch per team.`
                : action.function.mode === 'create' && p.engine !== first.engine
                  ? `The new function rotates ${first.engine ?? 'unknown'} databases; this secret's engine is ${p.engine ?? 'unknown'}.`
                  : null;
          if (why)
            planned[i] = refused(
              p.line.secretArn,
              { reason: 'not-applicable', message: why },
              { arn: p.line.secretArn, name: p.line.secretName, team: p.line.team },
            );
        }
      }

      // Each included secret its own start, evenly over the window, in the order selected.
      const chosen = action.action === 'enable' ? { schedule: action.schedule, ...(action.duration ? { duration: action.duration } : {}) } : null;
      const stagger =
        action.action === 'enable' && chosen
          ? action.stagger === 'hourly-slots'
            ? staggerSchedules(chosen, planned.filter((p) => !p.line.refusal).length)
            : {
                schedules: planned.map(() => ({ request: chosen, hour: null })),
                description: 'Not staggered (stagger: none): every secret gets the same schedule.',
                slots: 1,
              }
          : null;
      if (stagger) {
        let slot = 0;
        for (const [i, p] of planned.entries()) if (!p.line.refusal) planned[i] = withSchedule(p, stagger.schedules[slot++]!);
      }

      const included = planned.filter((p) => !p.line.refusal);
      const refusedLines = planned.filter((p) => p.line.refusal);
      const sharedSteps = action.action === 'enable' && first ? first.sharedSteps : [];
      const functionName =
        action.action === 'enable' ? (action.function.mode === 'create' ? action.function.functionName : action.function.functionArn.split(':').pop()!) : '';
      const shared = {
        description:
          action.action !== 'enable'
            ? 'Nothing is shared: each secret is its own workflow.'
            : sharedSteps.length === 0
              ? 'Nothing is shared.'
              : `${action.function.mode === 'create' ? `One new function ${functionName}` : `The function ${functionName}`} for the ${included.length} secrets: its steps run once, before any secret's own.`,
        steps: sharedSteps.map(toBatchStep),
        resources: action.action === 'enable' && first ? first.resources : [],
        cli: sharedSteps
          .map((s) => s.cli)
          .filter(Boolean)
          .join('\n'),
      };
      // Included first, in start order (their schedule's hour, or their offset), then the refused.
      const startKey = (p: PlannedSecret) => p.line.schedule?.nextWindow?.start ?? String(p.startOffsetMs ?? 0).padStart(12, '0');
      const ordered = [...included].sort((a, b) => (action.action === 'disable' ? 0 : startKey(a).localeCompare(startKey(b))));

      const warnings: string[] = [];
      if (action.action === 'enable' && action.rotateImmediately) {
        warnings.push(
          `Each secret rotates once as soon as its rotation is turned on: ${included.length} rotations within about ${Math.ceil(included.length / ROTATE_SECRET_PER_SECOND)} s. Turn off "rotate immediately" to let each secret rotate first in its own window.`,
        );
      }
      if (refusedLines.length)
        warnings.push(`${refusedLines.length} of ${planned.length} secrets are refused and will not be part of the batch; the list says why.`);

      const preview: BatchPlanView = {
        action: action.action,
        summary: batchSummary(action.action, included.length, refusedLines.length),
        shared,
        secrets: [...ordered, ...refusedLines].map((p) => p.line),
        totals: { selected: planned.length, included: included.length, refused: refusedLines.length },
        staggering:
          action.action === 'enable'
            ? stagger!.description
            : action.action === 'rotate'
              ? action.spreadMinutes > 0
                ? `Rotate now, spread: the RotateSecret calls are spread evenly over ${action.spreadMinutes} minutes (one every ${Math.round(((action.spreadMinutes * 60) / Math.max(ids.length, 1)) * 10) / 10} s), so the databases are not all rotated in the same minute.`
                : `Rotate now, not spread: every RotateSecret call goes as soon as the pacing allows (${ROTATE_SECRET_PER_SECOND} a second), so ${count(included.length)} rotate within about ${Math.ceil(included.length / ROTATE_SECRET_PER_SECOND)} s.`
              : 'Nothing to stagger: turning rotation off changes no database.',
        pacing: `RotateSecret and CancelRotateSecret share a quota of ${ROTATE_SECRET_PER_SECOND} requests a second per account and Region: the console sends at most ${ROTATE_SECRET_PER_SECOND} a second in each, across every workflow of this process, and retries a throttled call with exponential backoff.`,
        warnings,
      };
      const items: NewBatchItem[] = [...ordered, ...refusedLines].map((p) => ({
        secretArn: p.line.secretArn,
        secretName: p.line.secretName,
        team: p.line.team,
        refusal: p.line.refusal,
        startOffsetMs: p.startOffsetMs,
        schedule: p.line.schedule,
        spec: p.spec,
      }));
      return {
        preview,
        items,
        shared:
          first && sharedSteps.length > 0
            ? {
                subject: first.line.secretArn,
                input: { request: first.request, shared: true },
                steps: sharedSteps.map((s) => ({ id: s.id, kind: s.kind, title: s.title, dependsOn: s.dependsOn, input: s.input })),
              }
            : null,
      };
    },
  };
};
export type BatchPlanner = ReturnType<typeof createBatchPlanner>;
