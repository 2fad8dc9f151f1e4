import { orderPlan, step, uploadCodeStep, type ArtifactPlacement, type PlanInput, type PlannedStep } from './plan.ts';
import { shellQuote } from './shell.ts';

/**
 * Redeploying the console's own rotation function with the console's current code (the Functions
 * page's Update): the new zip uploaded, then a change set on the function's stack that changes the
 * code's location and keeps every other parameter's value, run and waited for, then the function's
 * CodeSha256 checked against the zip's. The same step kinds as creating the function, so the same
 * ensures run them. Pure: the API reads the stack and the function first.
 */

/** The environment variables the bundled template sets (packages/rotation-functions/template): a function with both is the console's own. */
export const CONSOLE_FUNCTION_VARIABLES = ['ROTATION_STRATEGY', 'DB_ENGINE'] as const;

/** Whether a function whose environment has these variables (names only: values may be anything) is the console's bundled function. */
export const isConsoleFunction = (variableNames: readonly string[]): boolean => CONSOLE_FUNCTION_VARIABLES.every((name) => variableNames.includes(name));

/** The bundled template's parameters that say where the code is: an update sets these and keeps every other. */
export const CODE_PARAMETERS = ['codeS3Bucket', 'codeS3Key'] as const;

export interface FunctionUpdateInput {
  region: string;
  accountId: string;
  partition?: string;
  functionName: string;
  stackName: string;
  /** The change set's name, new for each update (CloudFormation keeps names per stack). */
  changeSetName: string;
  /** Where the current code goes, and its SHA-256. */
  artifact: ArtifactPlacement;
  /** The stack's parameters that the current template has too, but the code's: each keeps its value (UsePreviousValue). */
  keptParameters: string[];
  assumedRole?: PlanInput['assumedRole'];
}

export const buildFunctionUpdatePlan = (input: FunctionUpdateInput): { steps: PlannedStep[]; stages: string[][]; cliSession: string } => {
  const { region, accountId, functionName, stackName, changeSetName, artifact } = input;
  const partition = input.partition ?? 'aws';
  const kept = input.keptParameters.filter((name) => !(CODE_PARAMETERS as readonly string[]).includes(name));
  const parameters = { codeS3Bucket: artifact.bucket, codeS3Key: artifact.key };
  const cliParameters = [
    ...Object.entries(parameters).map(([k, v]) => shellQuote(`ParameterKey=${k},ParameterValue=${v}`)),
    ...kept.map((k) => `ParameterKey=${k},UsePreviousValue=true`),
  ].join(' ');
  const steps: PlannedStep[] = [
    uploadCodeStep(artifact, { accountId, region, partition }),
    step(
      'create-function-change-set',
      'Create a change set on the function\u2019s stack with the current code',
      ['cloudformation:DescribeStacks', 'cloudformation:DescribeChangeSet', 'cloudformation:CreateChangeSet'],
      ['upload-function-code'],
      `aws cloudformation create-change-set --stack-name ${stackName} --change-set-name ${changeSetName} --change-set-type UPDATE --template-body file://rotation-function.yaml --capabilities CAPABILITY_NAMED_IAM --parameters ${cliParameters}`,
      { source: 'bundled-template', changeSetType: 'UPDATE', stackName, changeSetName, parameters, keptParameters: kept },
    ),
    step(
      'execute-change-set',
      'Run the change set and wait for the stack to update',
      ['cloudformation:DescribeChangeSet', 'cloudformation:DescribeStacks', 'cloudformation:ExecuteChangeSet'],
      ['create-function-change-set'],
      `aws cloudformation execute-change-set --change-set-name ${changeSetName} --stack-name ${stackName} && aws cloudformation wait stack-update-complete --stack-name ${stackName}`,
      { stackName, changeSetType: 'UPDATE' },
    ),
    step(
      'read-function-arn',
      'Check that the function runs the console\u2019s current code',
      ['cloudformation:DescribeStackResources', 'lambda:GetFunction'],
      ['execute-change-set'],
      `aws lambda get-function --function-name ${functionName} --query Configuration.CodeSha256`,
      { stackName, functionName, codeSha256: artifact.sha256, update: true },
    ),
  ];
  return orderPlan(steps, region, input.assumedRole);
};
