import type { FunctionRotation, FunctionSecret, RotationStepName, SecretStatus } from '@rotation-console/contracts';
import { findUnfinishedPending, functionNameOf, type LastRotationEvidence } from '@rotation-console/rotation';
import { accountRegionOfArn } from '../../platform/targets/target.ts';
import type { RotatingSecretRow } from '../dashboard/index-store/reads.ts';
import type { LastRotationFacts } from '../secrets/last-rotation.ts';

/** A function's place and name: the same name is another function in another account or region. */
export const functionKey = (accountId: string, region: string, name: string) => `${accountId}:${region}:${name}`;

/** The function a secret's RotationLambdaARN names (a version or alias of it counts as the function). */
const functionKeyOfArn = (arn: string): string | null => {
  const place = accountRegionOfArn(arn);
  return place ? functionKey(place.accountId, place.region, functionNameOf(arn)) : null;
};

/** The index's rotating secrets by the function they rotate with. */
export const usersByFunction = (rows: readonly RotatingSecretRow[]): Map<string, RotatingSecretRow[]> => {
  const users = new Map<string, RotatingSecretRow[]>();
  for (const row of rows) {
    const key = row.lambda_arn ? functionKeyOfArn(row.lambda_arn) : null;
    if (!key) continue;
    const list = users.get(key);
    if (list) list.push(row);
    else users.set(key, [row]);
  }
  return users;
};

/** AWS's rotation templates and the console's own set this variable: a function with it is a rotation function whether or not it rotates a secret now. */
const ROTATION_TEMPLATE_VARIABLE = 'SECRETS_MANAGER_ENDPOINT';

/** A rotation function: one a secret rotates with, or one made from a rotation template (waiting for its first secret, or left behind by its last). */
export const isRotationFunction = (variableNames: readonly string[], users: number) => users > 0 || variableNames.includes(ROTATION_TEMPLATE_VARIABLE);

const stagesOf = (row: RotatingSecretRow) => JSON.parse(row.version_stages) as Record<string, string[]>;

/** When a secret's last rotation happened: for one that did not finish, when it was started (RotateSecret changed the secret). */
const rotatedAt = (row: RotatingSecretRow): string | null =>
  findUnfinishedPending(stagesOf(row)) ? (row.last_changed_at ?? row.last_rotated_at) : row.last_rotated_at;

/** The latest rotation among `rows` (those that rotated at all), or undefined. */
export const latest = (rows: readonly RotatingSecretRow[]): RotatingSecretRow | undefined => {
  let found: RotatingSecretRow | undefined;
  for (const row of rows) {
    const at = rotatedAt(row);
    if (at !== null && (!found || at > rotatedAt(found)!)) found = row;
  }
  return found;
};

/** Whether the index's status already says how the last rotation went (else the recorded verdict is looked up). */
export const statusTells = (row: RotatingSecretRow) => row.status === 'healthy' || row.status === 'pending_or_failed';

/**
 * How a secret's last rotation went, as the index holds it: its status (healthy only on the log's
 * evidence; failed at a step, or unfinished), else the verdict recorded from the function's log.
 */
export const rotationOf = (row: RotatingSecretRow, evidence: LastRotationEvidence | null): FunctionRotation => {
  const base = { secretName: row.name, secretArn: row.arn, at: rotatedAt(row) };
  const failed = (failedStep: string | null, fallback: string): FunctionRotation => ({
    ...base,
    outcome: 'failed',
    failedStep: failedStep as RotationStepName | null,
    message: failedStep ? `${failedStep} failed` : fallback,
  });
  if (row.status === 'pending_or_failed') {
    const pending = findUnfinishedPending(stagesOf(row));
    return failed(row.failed_step, pending ? `did not finish: AWSPENDING is left on version ${pending}` : 'failed');
  }
  if (row.status === 'healthy' || evidence?.result === 'rotated')
    return { ...base, outcome: 'succeeded', failedStep: null, message: 'all four steps succeeded' };
  if (evidence?.result === 'failed') return failed(evidence.failedStep, 'failed');
  return { ...base, outcome: 'unknown', failedStep: null, message: 'the function\u2019s log does not say (yet)' };
};

export const toFunctionSecret = (row: RotatingSecretRow): FunctionSecret => ({
  name: row.name,
  arn: row.arn,
  team: row.team,
  status: row.status as SecretStatus,
});

/** What the recorded verdicts are looked up by (secrets/last-rotation.ts). */
export const lastRotationFactsOf = (row: RotatingSecretRow): LastRotationFacts => ({
  arn: row.arn,
  owningService: null,
  rotationLambdaArn: row.lambda_arn,
  lastRotatedDate: row.last_rotated_at ? new Date(row.last_rotated_at) : null,
  versionStages: stagesOf(row),
});
