// Where the CloudFormation template lives and a typed description of its parameters,
// for callers that deploy it (CreateChangeSet) without reading the YAML themselves.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Absolute path of template/rotation-function.yaml. */
export const ROTATION_TEMPLATE_PATH: string = fileURLToPath(new URL('../template/rotation-function.yaml', import.meta.url));

export async function readRotationTemplate(): Promise<string> {
  return readFile(ROTATION_TEMPLATE_PATH, 'utf8');
}

export const ROTATION_ENGINES = ['postgres', 'aurora-postgresql', 'mysql', 'mariadb', 'aurora-mysql'] as const;
export type RotationEngine = (typeof ROTATION_ENGINES)[number];

export interface TemplateParameterSpec {
  readonly required: boolean;
  readonly default?: string;
  readonly allowed?: readonly string[];
  readonly description: string;
}

/** Every parameter of the template, with the same names, defaults and allowed values. */
export const ROTATION_TEMPLATE_PARAMETERS = {
  endpoint: { required: false, default: '', description: 'Secrets Manager endpoint URL the function calls; empty for the SDK default.' },
  functionName: { required: true, description: 'Name of the rotation Lambda function.' },
  invokingServicePrincipal: { required: false, default: 'secretsmanager.amazonaws.com', description: 'Service principal allowed to invoke the function.' },
  engine: { required: false, default: 'postgres', allowed: ROTATION_ENGINES, description: 'Engine family the function serves.' },
  rotationStrategy: {
    required: false,
    default: 'single-user',
    allowed: ['single-user', 'alternating-users'],
    description: 'single-user or alternating-users (needs masterSecretArn).',
  },
  masterSecretArn: { required: false, default: '', description: 'ARN of the master secret (alternating-users).' },
  masterSecretKmsKeyArn: { required: false, default: '', description: 'KMS key ARN of the master secret.' },
  kmsKeyArn: { required: false, default: '', description: 'KMS key ARN of the rotated secret.' },
  vpcSubnetIds: { required: false, default: '', description: 'Comma separated subnet ids; empty for no VPC.' },
  vpcSecurityGroupIds: { required: false, default: '', description: 'Comma separated security group ids; empty for no VPC.' },
  excludeCharacters: { required: false, default: '/@"\'\\', description: 'Characters excluded from generated passwords.' },
  passwordLength: { required: false, default: '32', description: 'Length of generated passwords (8-4096).' },
  codeS3Bucket: { required: true, description: 'S3 bucket holding the function zip.' },
  codeS3Key: { required: true, description: 'S3 key of the function zip.' },
} as const satisfies Record<string, TemplateParameterSpec>;

export type RotationTemplateParameterName = keyof typeof ROTATION_TEMPLATE_PARAMETERS;

export const ROTATION_TEMPLATE_PARAMETER_NAMES = Object.keys(ROTATION_TEMPLATE_PARAMETERS) as RotationTemplateParameterName[];

/** Values for a deployment; required parameters are required here too. */
export interface RotationTemplateParameters {
  functionName: string;
  codeS3Bucket: string;
  codeS3Key: string;
  endpoint?: string;
  invokingServicePrincipal?: string;
  engine?: RotationEngine;
  rotationStrategy?: 'single-user' | 'alternating-users';
  masterSecretArn?: string;
  masterSecretKmsKeyArn?: string;
  kmsKeyArn?: string;
  /** Subnet ids (joined with commas for the template). */
  vpcSubnetIds?: string | readonly string[];
  /** Security group ids (joined with commas for the template). */
  vpcSecurityGroupIds?: string | readonly string[];
  excludeCharacters?: string;
  passwordLength?: number;
}

/** Resource logical ids, for DescribeStackResources. */
export const ROTATION_TEMPLATE_RESOURCES = {
  function: 'RotationFunction',
  role: 'RotationFunctionRole',
  permission: 'RotationFunctionInvokePermission',
} as const;

/** The `Parameters` list for CreateChangeSet / CreateStack; omitted values take the template defaults. */
export function toCloudFormationParameters(values: RotationTemplateParameters): { ParameterKey: RotationTemplateParameterName; ParameterValue: string }[] {
  if (values.rotationStrategy === 'alternating-users' && !values.masterSecretArn) {
    throw new Error('masterSecretArn is required when rotationStrategy is alternating-users');
  }
  const out: { ParameterKey: RotationTemplateParameterName; ParameterValue: string }[] = [];
  for (const name of ROTATION_TEMPLATE_PARAMETER_NAMES) {
    const value = values[name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    out.push({ ParameterKey: name, ParameterValue: text });
  }
  return out;
}
