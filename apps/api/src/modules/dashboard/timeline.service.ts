import type { RotationFailure, SecretDetail, SecretTimeline, TimelineEvent } from '@rotation-console/contracts';
import { FIXES, findUnfinishedPending, functionNameOf, readRotationLog, rotationVerdict, type LogEvent } from '@rotation-console/rotation';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { SecretRecord, SecretsGateway } from '../secrets/secrets.aws.ts';
import type { LastRotationEvidenceService } from '../secrets/last-rotation.ts';
import { toDetail } from '../secrets/secret-summary.ts';
import { teamOf } from '../../platform/team-tag.ts';
import { causeOf, logGroupsOf, publicMessageOf } from '../rotation/rotation-evidence.ts';
import { LOG_EVENTS_READ } from '../../platform/aws-function-logs.ts';

/** The log group is read from a minute before the stuck version was created (clocks, batching). */
const LOG_LOOKBACK_MS = 60_000;
/** The newest workflows and audit records shown. */
const HISTORY_LIMIT = 200;

interface Deps {
  gateway: SecretsGateway;
  lastRotation: LastRotationEvidenceService;
  /** The function's log events since a time, redacted (platform/aws-function-logs.ts). */
  logs: (functionName: string, since: Date, max: number) => Promise<LogEvent[]>;
  store: WorkflowStore;
  teamTagKey: string;
  now?: () => Date;
}

const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);
const kindLabel = (kind: string) => {
  const words = kind.replace(/[-_.]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const event = (at: string, kind: TimelineEvent['kind'], title: string, detail: string | null = null, workflowId: string | null = null): TimelineEvent => ({
  at,
  kind,
  title,
  detail,
  workflowId,
});

/** A secret's history: its versions, its rotations, the console's workflows and audit records, and what failed. */
export const createTimelineService = ({ gateway, lastRotation, logs, store, teamTagKey, now = () => new Date() }: Deps) => {
  /**
   * The unfinished rotation's verdict (the version with AWSPENDING, its token), from that
   * rotation's invocations of the function only; the lines only for who may read them.
   */
  const failureOf = async (detail: SecretDetail, mayReadLogs: boolean): Promise<RotationFailure | null> => {
    const stages = Object.fromEntries(detail.versions.map((v) => [v.versionId, v.stages]));
    const versionId = findUnfinishedPending(stages);
    if (!versionId) return null;
    const pending = detail.versions.find((v) => v.versionId === versionId);
    const lambdaArn = detail.rotation.lambdaArn;
    const created = pending?.createdDate ? Date.parse(pending.createdDate) : now().getTime() - 24 * 3_600_000;
    const events = lambdaArn ? await logs(functionNameOf(lambdaArn), new Date(created - LOG_LOOKBACK_MS), LOG_EVENTS_READ) : [];
    const log = readRotationLog(events, { versionId, secretArn: detail.arn });
    // The rotation is over as far as the timeline can tell: what the log does not show now, it does not say.
    const verdict = rotationVerdict({ versionId, steps: log.steps, versionStages: stages, settled: true });
    const { cause, fix } = causeOf(verdict, log);
    return {
      verdict: verdict.result === 'failed' ? 'failed' : 'unknown',
      failedStep: verdict.result === 'failed' ? verdict.failedStep : null,
      cause,
      fix: verdict.result === 'failed' ? fix : FIXES.unknown,
      summary: mayReadLogs ? verdict.message : publicMessageOf(verdict),
      versionId,
      log: mayReadLogs ? logGroupsOf(log) : [],
      logHidden: !mayReadLogs,
    };
  };

  return {
    /** DescribeSecret: enough for the policy to decide (refOf), before anything else is read. */
    describe: (secretId: string): Promise<SecretRecord> => gateway.describe(secretId),

    refOf: (record: SecretRecord) => ({ name: record.name, team: teamOf(record.tags, teamTagKey) }),

    /** The secret described already, with its versions from ListSecretVersionIds (deprecated ones too). */
    async secret(record: SecretRecord): Promise<SecretDetail> {
      const [versions, verdict] = await Promise.all([gateway.listVersions(record), lastRotation.check(record)]);
      return toDetail(record, versions, teamTagKey, now(), verdict);
    },

    /** The timeline of a secret already read (the router authorizes between the two). */
    async timeline(detail: SecretDetail, { mayReadLogs }: { mayReadLogs: boolean }): Promise<SecretTimeline> {
      const [workflows, audit, failure] = await Promise.all([
        store.list({ subject: detail.arn, limit: HISTORY_LIMIT }),
        store.listAudit({ subject: detail.arn, limit: HISTORY_LIMIT }),
        detail.status === 'pending_or_failed' ? failureOf(detail, mayReadLogs) : Promise.resolve(null),
      ]);
      const events: TimelineEvent[] = [];
      for (const v of detail.versions) {
        if (!v.createdDate) continue;
        const labels = v.stages.length > 0 ? `Staging labels: ${v.stages.join(', ')}` : 'No staging labels (deprecated)';
        events.push(event(v.createdDate, 'version-created', `Version ${shortId(v.versionId)} created`, labels));
      }
      if (detail.rotation.lastRotatedDate) {
        events.push(
          event(detail.rotation.lastRotatedDate, 'rotated', 'Rotated', detail.rotation.lambdaArn ? `By ${functionNameOf(detail.rotation.lambdaArn)}` : null),
        );
      }
      for (const w of workflows.items) {
        const label = kindLabel(w.kind);
        events.push(event(w.createdAt, 'workflow', `${label} started`, `By ${w.createdBy.name}`, w.id));
        if (w.finishedAt) events.push(event(w.finishedAt, 'workflow', `${label} ${w.status}`, w.error, w.id));
      }
      for (const a of audit.items) {
        events.push(event(a.at, 'audit', a.action, `${a.outcome}, by ${a.actor.name}`, a.workflowId));
      }
      // Newest first; Date.parse because AWS and the store print ISO times slightly differently.
      events.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
      return {
        name: detail.name,
        arn: detail.arn,
        team: detail.team,
        status: detail.status,
        owningService: detail.owningService,
        versions: detail.versions,
        events,
        failure,
      };
    },
  };
};
export type TimelineService = ReturnType<typeof createTimelineService>;
