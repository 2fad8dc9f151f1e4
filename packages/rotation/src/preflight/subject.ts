import {
  preflightCheckTitles,
  worstVerdict,
  type PreflightCheck,
  type PreflightCheckId,
  type PreflightFinding,
  type RotationStrategy,
} from '@rotation-console/contracts';

/**
 * What a preflight checks: the secret, where its database is, and the function that rotates it
 * (read from Lambda, or the wizard's planned settings when the function is still to be created).
 * Read on the server; it holds no secret value, only where the value points.
 */
export interface PreflightSubject {
  secret: {
    arn: string;
    name: string;
    accountId: string;
    region: string;
    /** The secret's KMS key (ARN or id); null for Secrets Manager's own key (aws/secretsmanager). */
    kmsKeyId: string | null;
  };
  strategy: RotationStrategy;
  /** From the secret's value: the database it names. Null when the value names none (the checks that need it say "cannot tell"). */
  database: {
    engine: string | null;
    host: string;
    port: number;
    /** The master secret (alternating users): its ARN, as masterarn in the value or the wizard's choice. */
    masterSecretArn: string | null;
    /** The master secret's KMS key, when there is a master. */
    masterKmsKeyId: string | null;
  } | null;
  fn: RotationFunctionFacts;
  /**
   * What Save itself adds, for the wizard's request (its plan's steps add-invoke-permission,
   * grant-master-secret-access and create-secrets-manager-endpoint): the checks say "Save adds it"
   * rather than fail. Null for a rotation as configured ("Check rotation"), where nothing is about to be added.
   */
  saveAdds: { invokePermission: boolean; masterGrant: boolean; secretsManagerEndpoint: boolean } | null;
}

export interface RotationFunctionFacts {
  /** Null when the wizard creates the function: its planned settings below are checked. */
  arn: string | null;
  name: string;
  runtime: string | null;
  timeoutSeconds: number | null;
  /** Its execution role; for a planned function, the role the plan creates (its statements in plannedRolePolicy). */
  roleArn: string | null;
  /** The SECRETS_MANAGER_ENDPOINT variable of its environment (no other variable is read: they may hold values). */
  secretsManagerEndpoint: string | null;
  vpc: { vpcId: string; subnetIds: string[]; securityGroupIds: string[] } | null;
  /** The console's own function (bundled code): it answers the database-login preflight event. */
  consoles: boolean;
  /** Lambda's CodeSha256 of its code (base64): the console's function is at the current version when it equals the bundled artifact's. */
  codeSha256: string | null;
  /** For a planned function: the statements of the role policy the plan creates, evaluated instead of IAM's. */
  plannedRolePolicy: { Statement: unknown[] } | null;
}

/** A check's answer from its findings: the worst verdict, and the summary the list shows. */
export const preflightCheck = (
  id: PreflightCheckId,
  { summary, findings, evidence, method = null }: { summary: string; findings: PreflightFinding[]; evidence: string[]; method?: string | null },
): PreflightCheck => ({
  id,
  title: preflightCheckTitles[id],
  verdict: worstVerdict(findings.map((f) => f.verdict)),
  summary,
  findings,
  evidence,
  method,
});

export const finding = (verdict: PreflightFinding['verdict'], message: string, fix: string | null = null): PreflightFinding => ({ verdict, message, fix });
