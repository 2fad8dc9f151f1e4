import type { LogEvent } from '@rotation-console/rotation';
import { sdk } from './aws-sdk.ts';
import type { AwsClientFactory } from './aws.ts';
import { callAws } from './aws-errors.ts';
import { NotFoundError } from './errors.ts';
import { redactText } from './redact-text.ts';

/** Log events read at most for one rotation: a shared function's group holds other secrets' rotations too. */
export const LOG_EVENTS_READ = 2_000;
/** How long a function's log may lag behind the labels (CloudWatch Logs ingests in batches) before missing lines count as missing. */
export const LOG_LAG_MS = 60_000;

/** At most this many FilterLogEvents pages are read at once. */
const MAX_LOG_PAGES = 20;

/**
 * A Lambda function's log events since `since` (the last `max`, oldest first), each line
 * redacted before it goes anywhere: into a workflow's stored output or an answer. Empty when
 * the log group is missing. Callers pick one rotation's invocations out of them (readRotationLog).
 */
export const readFunctionLog = async (aws: AwsClientFactory, functionName: string, since: Date, max: number): Promise<LogEvent[]> => {
  const { FilterLogEventsCommand } = sdk.logs();
  const logGroupName = `/aws/lambda/${functionName}`;
  const events: LogEvent[] = [];
  let nextToken: string | undefined;
  try {
    for (let page = 0; page < MAX_LOG_PAGES; page++) {
      const out = await callAws(
        'FilterLogEvents',
        () => aws.forRegion().logs.send(new FilterLogEventsCommand({ logGroupName, startTime: since.getTime(), ...(nextToken ? { nextToken } : {}) })),
        `Log group ${logGroupName}`,
      );
      for (const e of out.events ?? []) {
        events.push({
          message: redactText(e.message ?? ''),
          ...(e.timestamp !== undefined ? { timestamp: e.timestamp } : {}),
          ...(e.logStreamName ? { logStreamName: e.logStreamName } : {}),
        });
      }
      if (events.length > max) events.splice(0, events.length - max);
      if (!out.nextToken || out.nextToken === nextToken) break;
      nextToken = out.nextToken;
    }
  } catch (error) {
    if (error instanceof NotFoundError) return [];
    throw error;
  }
  return events;
};
