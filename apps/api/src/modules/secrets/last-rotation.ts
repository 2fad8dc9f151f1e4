import {
  findCurrentVersion,
  findUnfinishedPending,
  functionNameOf,
  readRotationLog,
  rotationVerdict,
  type LastRotationEvidence,
  type LogEvent,
} from '@rotation-console/rotation';
import type { Kysely } from 'kysely';
import { LOG_EVENTS_READ, LOG_LAG_MS } from '../../platform/aws-function-logs.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { SecretRecord } from './secrets.aws.ts';

/**
 * The rotation's steps run before finishSecret sets LastRotatedDate: the log is read from this
 * long before it (four steps, each up to Lambda's 15-minute limit).
 */
const STEPS_BEFORE_ROTATED_MS = 60 * 60_000;

interface Deps {
  db: Kysely<Database>;
  /** The function's log events since a time, redacted (platform/aws-function-logs.ts). */
  logs: (functionName: string, since: Date, max: number) => Promise<LogEvent[]>;
  now?: () => Date;
}

/** What tells a secret's last rotation: its function, its versions' labels and when Secrets Manager last recorded a rotation. */
export type LastRotationFacts = Pick<SecretRecord, 'arn' | 'owningService' | 'rotationLambdaArn' | 'lastRotatedDate' | 'versionStages'>;

/**
 * The last rotation's token: the unfinished one (AWSPENDING without AWSCURRENT) if there is one,
 * else the one that made AWSCURRENT when Secrets Manager recorded a rotation. Null: nothing to judge.
 */
const lastRotationOf = (secret: Omit<LastRotationFacts, 'arn'>) => {
  if (secret.owningService || !secret.rotationLambdaArn) return null;
  const pending = findUnfinishedPending(secret.versionStages);
  if (pending) return { versionId: pending, unfinished: true };
  const current = findCurrentVersion(secret.versionStages);
  return current && secret.lastRotatedDate ? { versionId: current, unfinished: false } : null;
};

/**
 * Whether the last rotation of a secret worked, as its function's log says (packages/rotation
 * rotationVerdict), so that "Healthy" rests on evidence, not on AWS's dates and labels. A verdict
 * is read from the log once, recorded when it is final, and looked up from then on (one query
 * for a page of secrets). Records only; never a log line.
 */
export const createLastRotationEvidence = ({ db, logs, now = () => new Date() }: Deps) => {
  const toEvidence = (row: { version_id: string; result: LastRotationEvidence['result']; failed_step: string | null }): LastRotationEvidence => ({
    versionId: row.version_id,
    result: row.result,
    failedStep: row.failed_step,
  });

  /** Recorded verdicts on the last rotations of these secrets (lastRotationOf), by ARN. */
  const recorded = async (secrets: readonly LastRotationFacts[]): Promise<Map<string, LastRotationEvidence>> => {
    const wanted = secrets.flatMap((s) => {
      const last = lastRotationOf(s);
      return last ? [{ arn: s.arn, versionId: last.versionId }] : [];
    });
    const found = new Map<string, LastRotationEvidence>();
    // Chunks keep the statement under SQLite's variable limit for a crawl page of 100.
    for (let i = 0; i < wanted.length; i += 200) {
      const chunk = wanted.slice(i, i + 200);
      const rows = await db
        .selectFrom('rotation_evidence')
        .select(['arn', 'version_id', 'result', 'failed_step'])
        .where((eb) => eb.or(chunk.map((w) => eb.and([eb('arn', '=', w.arn), eb('version_id', '=', w.versionId)]))))
        .execute();
      for (const row of rows) found.set(row.arn, toEvidence(row));
    }
    return found;
  };

  return {
    recorded,

    /** True when the secret's last rotation has no recorded verdict yet (the crawl reads these after its pass). */
    needsCheck: (secret: SecretRecord, known: Map<string, LastRotationEvidence>) => lastRotationOf(secret) !== null && !known.has(secret.arn),

    /**
     * The verdict on the secret's last rotation: recorded, or read now from the function's log
     * (this rotation's invocations only) and recorded once final. Null when there is nothing to
     * judge, or the log is still catching up, or could not be read (the status then says unknown).
     */
    async check(secret: SecretRecord): Promise<LastRotationEvidence | null> {
      const last = lastRotationOf(secret);
      if (!last) return null;
      const known = (await recorded([secret])).get(secret.arn);
      if (known) return known;
      const { versionId, unfinished } = last;
      // Finished: its steps ran before LastRotatedDate. Unfinished: before the secret last changed (RotateSecret).
      const around = (unfinished ? secret.lastChangedDate : secret.lastRotatedDate) ?? new Date(now().getTime() - 24 * 3_600_000);
      const events = await logs(functionNameOf(secret.rotationLambdaArn!), new Date(around.getTime() - STEPS_BEFORE_ROTATED_MS), LOG_EVENTS_READ).catch(
        () => null,
      );
      if (!events) return null;
      const log = readRotationLog(events, { versionId, secretArn: secret.arn });
      const settled = !unfinished && now().getTime() - around.getTime() >= LOG_LAG_MS;
      const verdict = rotationVerdict({ versionId, steps: log.steps, versionStages: secret.versionStages, settled });
      // An unfinished rotation is judged only once a step failed: until then it may still be running.
      if (verdict.result === 'in-progress' || (unfinished && verdict.result !== 'failed')) return null;
      const evidence: LastRotationEvidence = { versionId, result: verdict.result, failedStep: verdict.result === 'failed' ? verdict.failedStep : null };
      await db
        .insertInto('rotation_evidence')
        .values({ arn: secret.arn, version_id: versionId, result: evidence.result, failed_step: evidence.failedStep, checked_at: now().toISOString() })
        .onConflict((oc) => oc.columns(['arn', 'version_id']).doNothing())
        .execute();
      return evidence;
    },
  };
};
export type LastRotationEvidenceService = ReturnType<typeof createLastRotationEvidence>;
