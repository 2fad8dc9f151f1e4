import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { RotationRequest, RotationStrategy } from '@rotation-console/contracts';
import { LAMBDA_RUNTIME } from '@rotation-console/rotation-functions';
import {
  checkSecretFormat,
  engineFamily,
  isConsoleFunction,
  plannedRotationRoleStatements,
  type PreflightSubject,
  type RotationFunctionFacts,
} from '@rotation-console/rotation';
import { ConflictError } from '../../platform/errors.ts';
import { sdk } from '../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import type { DiscoveryGateway } from '../rotation/discovery.aws.ts';
import type { FunctionSourceResolver } from '../rotation/function-source.ts';

/** The bundled template's function (packages/rotation-functions/template): its runtime and timeout, for a function still to be created. */
export const BUNDLED_FUNCTION = { runtime: LAMBDA_RUNTIME, timeoutSeconds: 30 } as const;

const STRATEGIES: readonly string[] = ['single-user', 'alternating-users'] satisfies RotationStrategy[];

/**
 * Reads what a preflight checks (PreflightSubject) in the current target: the secret's key, the
 * database its value names (host, port, engine, master: never the value itself), and the function:
 * the one configured or chosen (Lambda's configuration), or the one the wizard will create (the
 * bundled template's settings and the role policy the plan gives it).
 */
export const createPreflightSubjects = ({
  aws,
  discovery,
  functionSource,
}: {
  aws: AwsClientFactory;
  discovery: DiscoveryGateway;
  functionSource: FunctionSourceResolver;
}) => {
  const c = () => aws.forRegion();

  const secretFacts = async (secretId: string) => {
    const out = await callAws('DescribeSecret', () => c().secretsManager.send(new DescribeSecretCommand({ SecretId: secretId })), `Secret "${secretId}"`);
    const arn = out.ARN ?? secretId;
    return {
      arn,
      name: out.Name ?? secretId,
      accountId: arn.split(':')[4] ?? (await discovery.accountId()),
      region: aws.region(),
      kmsKeyId: out.KmsKeyId || null,
      rotationLambdaArn: out.RotationLambdaARN || null,
    };
  };

  /** Where the value points (its host, port, engine and master), read on the server and kept to those fields. */
  const databaseFacts = async (secretArn: string, masterSecretId: string | null) => {
    // As the rotated secret of multi-user rotation, so masterarn is read when the value has one.
    const { parsed } = checkSecretFormat(secretArn, await discovery.secretString(secretArn), { strategy: 'alternating-users', role: 'secret' });
    if (!parsed?.host) return { database: null, masterFromValue: parsed?.masterArn ?? null };
    const masterId = masterSecretId ?? parsed.masterArn;
    const master = masterId ? await secretFacts(masterId) : null;
    return {
      database: {
        engine: parsed.engine,
        host: parsed.host,
        port: parsed.port ?? defaultPort(parsed.engine),
        masterSecretArn: master?.arn ?? null,
        masterKmsKeyId: master?.kmsKeyId ?? null,
      },
      masterFromValue: parsed.masterArn,
    };
  };

  const functionFacts = async (functionArn: string): Promise<RotationFunctionFacts & { strategy: RotationStrategy | null }> => {
    const { GetFunctionConfigurationCommand } = sdk.lambda();
    const config = await callAws(
      'GetFunctionConfiguration',
      () => c().lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn })),
      `Lambda function "${functionArn}"`,
    );
    // Only the variables the checks need are kept: others may hold values.
    const variables = config.Environment?.Variables ?? {};
    const consoles = isConsoleFunction(Object.keys(variables));
    const declared = variables.ROTATION_STRATEGY;
    const subnetIds = config.VpcConfig?.SubnetIds ?? [];
    return {
      arn: config.FunctionArn ?? functionArn,
      name: config.FunctionName ?? functionArn,
      runtime: config.Runtime ?? null,
      timeoutSeconds: config.Timeout ?? null,
      roleArn: config.Role ?? null,
      secretsManagerEndpoint: variables.SECRETS_MANAGER_ENDPOINT || null,
      // The VPC of its subnets: moto 5.2.1 answers one made-up VpcId for every function in a VPC.
      vpc: subnetIds.length
        ? { vpcId: (await vpcOfSubnet(subnetIds[0]!)) ?? config.VpcConfig?.VpcId ?? '', subnetIds, securityGroupIds: config.VpcConfig?.SecurityGroupIds ?? [] }
        : null,
      consoles,
      codeSha256: config.CodeSha256 ?? null,
      plannedRolePolicy: null,
      strategy: consoles && declared && STRATEGIES.includes(declared) ? (declared as RotationStrategy) : null,
    };
  };

  const vpcOfSubnet = async (subnetId: string): Promise<string | null> => {
    const { DescribeSubnetsCommand } = sdk.ec2();
    const out = await callAws('DescribeSubnets', () => c().ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] })));
    return out.Subnets?.[0]?.VpcId ?? null;
  };

  return {
    /** The secret's rotation as it is configured: its function, the strategy the function (or the value's masterarn) says. */
    async ofSecret(secretId: string): Promise<PreflightSubject> {
      const secret = await secretFacts(secretId);
      if (!secret.rotationLambdaArn)
        throw new ConflictError({
          message: `Secret "${secret.name}" has no rotation function yet: its preflight runs in the rotation wizard's review, before Save.`,
        });
      const [{ database, masterFromValue }, fn] = await Promise.all([databaseFacts(secret.arn, null), functionFacts(secret.rotationLambdaArn)]);
      const strategy: RotationStrategy = fn.strategy ?? (masterFromValue ? 'alternating-users' : 'single-user');
      return { secret, strategy, database, fn, saveAdds: null };
    },

    /** The wizard's request before Save: the chosen function, or the one the plan creates. */
    async ofRequest(request: RotationRequest): Promise<PreflightSubject> {
      const secret = await secretFacts(request.secretId);
      const choice = request.function;
      const { database } = await databaseFacts(secret.arn, choice.masterSecretId ?? null);
      // The plan lets Secrets Manager invoke the function, grants the master to its role (multi-user), and
      // creates the Secrets Manager endpoint the wizard asked for (where the VPC has none).
      const saveAdds = {
        invokePermission: true,
        masterGrant: choice.strategy === 'alternating-users' && database?.masterSecretArn != null,
        secretsManagerEndpoint: request.network?.createSecretsManagerEndpoint ?? false,
      };
      if (choice.mode === 'existing') {
        const fn = await functionFacts(choice.functionArn);
        // Save puts the function in the network the wizard chose (configure-function-vpc): that network is checked.
        const vpc = request.network
          ? { vpcId: request.network.vpcId, subnetIds: request.network.subnetIds, securityGroupIds: request.network.securityGroupIds }
          : fn.vpc;
        return { secret, strategy: choice.strategy, database, fn: { ...fn, vpc }, saveAdds };
      }
      const bundled = (await functionSource()) === 'bundled-template';
      const fn: RotationFunctionFacts = {
        arn: null,
        name: choice.functionName,
        // AWS's templates (the Serverless Application Repository) choose their own runtime: known once deployed.
        runtime: bundled ? BUNDLED_FUNCTION.runtime : null,
        timeoutSeconds: bundled ? BUNDLED_FUNCTION.timeoutSeconds : null,
        roleArn: null,
        secretsManagerEndpoint: `https://secretsmanager.${secret.region}.amazonaws.com`,
        vpc: request.network
          ? { vpcId: request.network.vpcId, subnetIds: request.network.subnetIds, securityGroupIds: request.network.securityGroupIds }
          : null,
        consoles: bundled,
        codeSha256: null,
        plannedRolePolicy: {
          Statement: plannedRotationRoleStatements({
            secretArn: secret.arn,
            functionName: choice.functionName,
            masterSecretArn: database?.masterSecretArn ?? null,
          }),
        },
      };
      return { secret, strategy: choice.strategy, database, fn, saveAdds };
    },
  };
};
export type PreflightSubjects = ReturnType<typeof createPreflightSubjects>;

const defaultPort = (engine: string | null): number => (engineFamily(engine) === 'postgres' ? 5432 : 3306);
