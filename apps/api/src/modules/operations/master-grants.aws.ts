import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { grantsMaster, MASTER_POLICY_NAME, withoutMasterGrant, type MasterGrant, type MasterGrantPlan } from '@rotation-console/rotation';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { StepRecord, WorkflowRecord } from '../../platform/workflow/records.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import { functionRoleName, readRolePolicy } from '../rotation/steps/master-policy.aws.ts';
import { ENABLE_ROTATION } from '../workflows/workflows.router.ts';

const GRANT_STEP = 'grant-master-secret-access';
const NOT_FAILED = ['pending', 'running', 'succeeded'] as const;

const masterOf = (step: StepRecord): string | null => {
  const arn = (step.input as { masterSecretArn?: unknown } | null)?.masterSecretArn;
  return typeof arn === 'string' ? arn : null;
};
const roleOf = (step: StepRecord): string | null => {
  const role = step.output?.roleName;
  return typeof role === 'string' ? role : null;
};

/**
 * Which master secret grants a secret's rotation relies on, and which other secrets still need
 * one, from evidence that never reads a secret value:
 * - the console's own workflows: the grant step of a secret's latest enable-rotation workflow
 *   that did not fail names its master secret (its input) and the role it wrote (its output);
 *   a later one without a grant (single-user, or another master) means the old grant is no
 *   longer that secret's;
 * - AWS now: that secret still has rotation on (DescribeSecret), with a function whose role
 *   (GetFunctionConfiguration) is the grant's role.
 * A secret still being turned on counts as needing it; so does one whose state cannot be read
 * (access denied, throttling): a grant is removed only when nothing is known to need it.
 * Rotation turned on outside the console leaves no workflow, so it is not seen here.
 */
export const createMasterGrants = ({ store, aws }: { store: WorkflowStore; aws: AwsClientFactory }) => {
  const latestEnable = async (secretArn: string): Promise<WorkflowRecord | null> =>
    (await store.list({ subject: secretArn, kind: ENABLE_ROTATION, status: NOT_FAILED, limit: 1 })).items[0] ?? null;

  /** Does the secret rotate now with a function on this role? Unknown counts as yes. */
  const rotatesWithRole = async (secretArn: string, roleName: string): Promise<boolean> => {
    const clients = aws.forRegion();
    try {
      const secret = await callAws(
        'DescribeSecret',
        () => clients.secretsManager.send(new DescribeSecretCommand({ SecretId: secretArn })),
        `Secret "${secretArn}"`,
      );
      if (!secret.RotationEnabled || !secret.RotationLambdaARN) return false;
      return (await functionRoleName(clients, secret.RotationLambdaARN)) === roleName;
    } catch (error) {
      if (error instanceof NotFoundError) return false; // the secret or its function is gone
      return true;
    }
  };

  /** The grant the console made for this secret's rotation as it stands, or null. */
  const grantOf = async (secretArn: string): Promise<MasterGrant | null> => {
    const latest = await latestEnable(secretArn);
    if (!latest || latest.status !== 'succeeded') return null;
    const step = (await store.get(latest.id))?.steps.find((s) => s.kind === GRANT_STEP && s.status === 'succeeded');
    const masterSecretArn = step ? masterOf(step) : null;
    const roleName = step ? roleOf(step) : null;
    if (!step || !masterSecretArn || !roleName) return null;
    const policyName = typeof step.output?.policyName === 'string' ? step.output.policyName : MASTER_POLICY_NAME;
    return { secretArn, masterSecretArn, roleName, policyName };
  };

  /** The other secrets that still need this grant (their ARNs); empty when it may go. */
  const neededBy = async (grant: MasterGrant): Promise<string[]> => {
    const grants = await store.listSteps({ workflowKind: ENABLE_ROTATION, stepKind: GRANT_STEP });
    const subjects = new Set(
      grants.filter(({ workflow, step }) => workflow.subject !== grant.secretArn && masterOf(step) === grant.masterSecretArn).map((g) => g.workflow.subject),
    );
    const users: string[] = [];
    for (const subject of subjects) {
      const latest = await latestEnable(subject);
      const own = latest ? grants.find((g) => g.workflow.id === latest.id) : undefined;
      if (!latest || !own || masterOf(own.step) !== grant.masterSecretArn) continue;
      if (latest.status !== 'succeeded') {
        users.push(subject); // being turned on now: its grant step may have found the statement there already
        continue;
      }
      const role = roleOf(own.step);
      if (role !== null && role !== grant.roleName) continue;
      if (await rotatesWithRole(subject, grant.roleName)) users.push(subject);
    }
    return users;
  };

  return {
    neededBy,
    /** What turning rotation off does to the secret's master grant: null when it has none to remove. */
    async planForTurnOff(secretArn: string): Promise<MasterGrantPlan | null> {
      const grant = await grantOf(secretArn);
      if (!grant) return null;
      const [users, policy] = await Promise.all([neededBy(grant), readRolePolicy(aws.forRegion(), grant.roleName, grant.policyName)]);
      if (!policy || !grantsMaster(policy, grant.masterSecretArn)) return null;
      return { ...grant, neededBy: users, removesPolicy: withoutMasterGrant(policy, grant.masterSecretArn).document === null };
    },
  };
};
export type MasterGrants = ReturnType<typeof createMasterGrants>;
