import type { RotationFailure, SecretDetail, SecretTimeline, TimelineEvent } from '@rotation-console/contracts';
import { diagnoseRotationFailure, findUnfinishedPending } from '@rotation-console/rotation';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import { withholdFunctionLog } from '../rotation/function-log.ts';
import type { SecretRecord, SecretsGateway } from '../secrets/secrets.aws.ts';
import { teamOf, toDetail } from '../secrets/secret-summary.ts';
import type { TimelineLogs } from './timeline.aws.ts';

/** Log lines read from the function's log group, and how many of them the answer shows. */
export const LOG_LINES_READ = 200;
export const LOG_LINES_SHOWN = 20;
/** The log group is read from a minute before the stuck version was created (clocks, batching). */
const LOG_LOOKBACK_MS = 60_000;
/** The newest workflows and audit records shown. */
const HISTORY_LIMIT = 200;

interface Deps {
  gateway: SecretsGateway;
  logs: TimelineLogs;
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

/** The function's name from its ARN (arn:aws:lambda:region:account:function:name[:qualifier]) or a bare name. */
export const functionNameOf = (lambdaArn: string) => {
  const parts = lambdaArn.split(':');
  const at = parts.indexOf('function');
  return at >= 0 && parts[at + 1] ? parts[at + 1]! : parts.at(-1)!;
};

/** A secret's history: its versions, its rotations, the console's workflows and audit records, and what failed. */
export const createTimelineService = ({ gateway, logs, store, teamTagKey, now = () => new Date() }: Deps) => {
  const failureOf = async (detail: SecretDetail): Promise<RotationFailure> => {
    const stages = Object.fromEntries(detail.versions.map((v) => [v.versionId, v.stages]));
    const pendingId = findUnfinishedPending(stages);
    const pending = detail.versions.find((v) => v.versionId === pendingId);
    const lambdaArn = detail.rotation.lambdaArn;
    let lines: string[] = [];
    if (lambdaArn) {
      const created = pending?.createdDate ? Date.parse(pending.createdDate) : now().getTime() - 24 * 3_600_000;
      lines = await logs.lastLines(functionNameOf(lambdaArn), new Date(created - LOG_LOOKBACK_MS), LOG_LINES_READ);
    }
    const diagnosis = diagnoseRotationFailure(lines);
    return { ...diagnosis, logLines: lines.slice(-LOG_LINES_SHOWN) };
  };

  return {
    /** DescribeSecret: enough for the policy to decide (refOf), before anything else is read. */
    describe: (secretId: string): Promise<SecretRecord> => gateway.describe(secretId),

    refOf: (record: SecretRecord) => ({ name: record.name, team: teamOf(record, teamTagKey) }),

    /** The secret described already, with its versions from ListSecretVersionIds (deprecated ones too). */
    async secret(record: SecretRecord): Promise<SecretDetail> {
      return toDetail(record, await gateway.listVersions(record.arn), teamTagKey, now());
    },

    /**
     * The timeline of a secret already read (the router authorizes between the two); with
     * `functionLog: false`, without the rotation function's log and the text quoted from it.
     */
    async timeline(detail: SecretDetail, { functionLog }: { functionLog: boolean }): Promise<SecretTimeline> {
      const [workflows, audit, failure] = await Promise.all([
        store.list({ subject: detail.arn, limit: HISTORY_LIMIT }),
        store.listAudit({ subject: detail.arn, limit: HISTORY_LIMIT }),
        detail.status === 'pending_or_failed' ? failureOf(detail) : Promise.resolve(null),
      ]);
      const events: TimelineEvent[] = [];
      for (const v of detail.versions) {
        if (!v.createdDate) continue;
        const labels = v.stages.length > 0 ? `Staging labels: ${v.stages.join(', ')}` : 'No staging labels (deprecated)';
        events.push(event(v.createdDate, 'version-created', `Version ${shortId(v.versionId)} created`, labels));
      }
      if (detail.rotation.lastRotatedDate) {
        events.push(event(detail.rotation.lastRotatedDate, 'rotated', 'Rotated', detail.rotation.lambdaArn ? `By ${functionNameOf(detail.rotation.lambdaArn)}` : null));
      }
      for (const w of workflows.items) {
        const label = kindLabel(w.kind);
        events.push(event(w.createdAt, 'workflow', `${label} started`, `By ${w.createdBy.name}`, w.id));
        if (w.finishedAt) events.push(event(w.finishedAt, 'workflow', `${label} ${w.status}`, functionLog ? w.error : withholdFunctionLog(w.error), w.id));
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
        versions: detail.versions,
        events,
        failure: failure && !functionLog ? { ...failure, summary: null, logLines: [] } : failure,
      };
    },
  };
};
export type TimelineService = ReturnType<typeof createTimelineService>;
