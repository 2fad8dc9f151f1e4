import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { sdk } from '../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';

/** A Lambda function as the Functions page needs it. Its environment's names only: a value may be anything, a password included. */
export interface LambdaFunctionRecord {
  name: string;
  arn: string;
  description: string | null;
  runtime: string | null;
  codeSha256: string | null;
  variableNames: string[];
}

/** A CloudFormation stack as the update needs it: its state and parameters, and the function it holds. */
export interface StackRecord {
  name: string;
  status: string;
  parameters: Record<string, string>;
  /** The physical id (name) of its AWS::Lambda::Function, if it has one. */
  functionName: string | null;
}

/** Functions read per account-region at most; past this the page lists the first ones Lambda gives. */
export const MAX_FUNCTIONS_LISTED = 10_000;

const toRecord = (f: FunctionConfiguration): LambdaFunctionRecord => ({
  name: f.FunctionName ?? '',
  arn: f.FunctionArn ?? '',
  description: f.Description || null,
  runtime: f.Runtime ?? null,
  codeSha256: f.CodeSha256 ?? null,
  variableNames: Object.keys(f.Environment?.Variables ?? {}).sort(),
});

/**
 * The read-only AWS calls of the Functions page, in the current target. Always with the console's
 * own credentials: the page lists every team's functions, and a team's role might not see them.
 */
export const createFunctionsGateway = (aws: AwsClientFactory) => {
  const c = () => aws.forRegionAsConsole();
  return {
    /** Every function of the account-region (ListFunctions gives each one's code hash and environment, so no GetFunction per function). */
    async listFunctions(): Promise<LambdaFunctionRecord[]> {
      const { paginateListFunctions } = sdk.lambda();
      return callAws('ListFunctions', async () => {
        const items: LambdaFunctionRecord[] = [];
        for await (const page of paginateListFunctions({ client: c().lambda }, {})) {
          items.push(...(page.Functions ?? []).map(toRecord));
          if (items.length >= MAX_FUNCTIONS_LISTED) break;
        }
        return items;
      });
    },

    /** One function as Lambda has it now, with its tags; null when Lambda has none of that name. */
    async function(arn: string): Promise<(LambdaFunctionRecord & { tags: Record<string, string> }) | null> {
      const { GetFunctionCommand } = sdk.lambda();
      try {
        const out = await c().lambda.send(new GetFunctionCommand({ FunctionName: arn }));
        return { ...toRecord(out.Configuration ?? {}), tags: out.Tags ?? {} };
      } catch (error) {
        if ((error as Error).name === 'ResourceNotFoundException') return null;
        return callAws('GetFunction', () => Promise.reject(error), `Lambda function "${arn}"`);
      }
    },

    /** The stack, with its parameters and its function; null when CloudFormation has no such stack. */
    async stack(stackName: string): Promise<StackRecord | null> {
      const { DescribeStacksCommand, DescribeStackResourcesCommand } = sdk.cloudFormation();
      const cfn = c().cloudFormation;
      const stack = await cfn.send(new DescribeStacksCommand({ StackName: stackName })).then(
        (out) => out.Stacks?.[0] ?? null,
        (error: Error) =>
          // CloudFormation answers a ValidationError "Stack with id X does not exist".
          error.name === 'ValidationError' && /does not exist/.test(error.message) ? null : callAws('DescribeStacks', () => Promise.reject(error)),
      );
      if (!stack) return null;
      const resources = await callAws('DescribeStackResources', () => cfn.send(new DescribeStackResourcesCommand({ StackName: stackName })));
      return {
        name: stack.StackName ?? stackName,
        status: stack.StackStatus ?? 'UNKNOWN',
        parameters: Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? ''])),
        functionName: resources.StackResources?.find((r) => r.ResourceType === 'AWS::Lambda::Function')?.PhysicalResourceId ?? null,
      };
    },
  };
};
export type FunctionsGateway = ReturnType<typeof createFunctionsGateway>;
