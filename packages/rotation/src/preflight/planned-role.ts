/**
 * The statements the role of a function the wizard creates will hold for this secret: the bundled
 * template's SecretsManagerRotation policy (packages/rotation-functions/template) as the plan fills
 * its parameters. The template scopes the secret statement to secrets whose rotation function is this
 * one (secretsmanager:resource/AllowRotationLambdaArn); Save makes it this secret's, so the condition
 * holds and is left out here. The plan passes no KMS key parameter, so no kms statement is granted.
 */
export const plannedRotationRoleStatements = ({
  secretArn,
  masterSecretArn,
}: {
  secretArn: string;
  functionName: string;
  masterSecretArn: string | null;
}): unknown[] => [
  {
    Effect: 'Allow',
    Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
    Resource: secretArn,
  },
  { Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
  ...(masterSecretArn ? [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: masterSecretArn }] : []),
];
