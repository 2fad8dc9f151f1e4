import {
  databaseLoginEvent,
  databaseLoginWithoutInvocation,
  evaluateDatabaseLogin,
  secretReadDenied,
  type DatabaseLoginInvocation,
  type PreflightSubject,
} from '@rotation-console/rotation';
import { sdk } from '../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import { redactText } from '../../platform/redact-text.ts';
import { createSecretsGateway } from '../secrets/secrets.aws.ts';
import type { PreflightRunner } from './preflight-runner.ts';

/** How long the Invoke may wait past the function's own timeout (Lambda answers a timed-out run itself). */
const INVOKE_MARGIN_S = 10;
/** Lambda's longest timeout, for a function whose timeout was not read. */
const LAMBDA_MAX_TIMEOUT_S = 900;

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};
const text = (v: unknown): string | null => (typeof v === 'string' && v ? redactText(v) : null);

/**
 * Invokes the console's own function with the preflight event and waits for its answer
 * (RequestResponse). The function changes nothing; every message that comes back is redacted
 * once more on the way in, as the function's log lines are.
 */
const invokePreflight = async (aws: AwsClientFactory, subject: PreflightSubject, functionArn: string): Promise<DatabaseLoginInvocation> => {
  const { InvokeCommand } = sdk.lambda();
  const timeoutMs = ((subject.fn.timeoutSeconds ?? LAMBDA_MAX_TIMEOUT_S) + INVOKE_MARGIN_S) * 1000;
  try {
    const out = await callAws(
      'Invoke',
      () =>
        aws.forRegion().lambda.send(
          new InvokeCommand({
            FunctionName: functionArn,
            InvocationType: 'RequestResponse',
            Payload: new TextEncoder().encode(JSON.stringify(databaseLoginEvent(subject.secret.arn))),
          }),
          // The function may take its whole timeout (a database login that waits): longer than the client's per-try AWS_TIMEOUT_MS.
          { requestTimeout: timeoutMs },
        ),
      `Lambda function "${functionArn}"`,
    );
    const payload = parseJson(out.Payload ? new TextDecoder().decode(out.Payload) : '');
    if (out.FunctionError) {
      const error = (payload ?? {}) as { errorType?: unknown; errorMessage?: unknown };
      return { kind: 'function-error', errorType: text(error.errorType), errorMessage: text(error.errorMessage) };
    }
    if (payload && typeof payload === 'object' && Array.isArray((payload as { verdicts?: unknown }).verdicts)) {
      const answer = payload as { verdicts: Record<string, unknown>[] };
      answer.verdicts = answer.verdicts.map((v) => ({ ...v, ...(typeof v.message === 'string' ? { message: redactText(v.message) } : {}) }));
    }
    return { kind: 'answered', payload };
  } catch (error) {
    return { kind: 'invoke-failed', message: (error as Error).message };
  }
};

/**
 * The "database-login" check: the console's own function, asked with a preflight event, logs in
 * from its VPC and reads the privileges the strategy needs. Other functions, and a function the
 * wizard has yet to create, cannot be asked ("cannot tell").
 */
export const createDatabaseLoginCheck = ({ aws }: { aws: AwsClientFactory }): PreflightRunner => ({
  id: 'database-login',
  async run(subject: PreflightSubject) {
    const unaskable = databaseLoginWithoutInvocation(subject);
    if (unaskable) return unaskable;
    // Not null: databaseLoginWithoutInvocation answers for a function still to be created.
    const invocation = await invokePreflight(aws, subject, subject.fn.arn as string);
    // A function may read only the secrets it rotates: which function the secret names tells "not yet" from "denied".
    const rotationFunctionArn = secretReadDenied(invocation)
      ? await createSecretsGateway(aws)
          .describe(subject.secret.arn)
          .then((s) => s.rotationLambdaArn)
          .catch(() => undefined)
      : undefined;
    return evaluateDatabaseLogin(subject, invocation, { rotationFunctionArn });
  },
});
