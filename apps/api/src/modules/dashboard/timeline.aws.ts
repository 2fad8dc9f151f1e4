import { sdk } from '../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import { NotFoundError } from '../../platform/errors.ts';

/** At most this many FilterLogEvents pages are read for one timeline. */
const MAX_LOG_PAGES = 20;

/** CloudWatch Logs reads for a secret's timeline. */
export const createTimelineLogs = (aws: AwsClientFactory) => ({
  /**
   * The last `max` lines of a Lambda function's log group since `since` (oldest first), read
   * through FilterLogEvents' pages, keeping only the last lines. Empty when the group is missing.
   */
  async lastLines(functionName: string, since: Date, max: number): Promise<string[]> {
    const { FilterLogEventsCommand } = sdk.logs();
    const logGroupName = `/aws/lambda/${functionName}`;
    const lines: string[] = [];
    let nextToken: string | undefined;
    try {
      for (let page = 0; page < MAX_LOG_PAGES; page++) {
        const out = await callAws(
          'FilterLogEvents',
          () => aws.forRegion().logs.send(new FilterLogEventsCommand({ logGroupName, startTime: since.getTime(), ...(nextToken ? { nextToken } : {}) })),
          `Log group ${logGroupName}`,
        );
        for (const event of out.events ?? []) {
          for (const line of (event.message ?? '').split('\n')) {
            if (line.trim()) lines.push(line.trimEnd());
          }
        }
        if (lines.length > max) lines.splice(0, lines.length - max);
        if (!out.nextToken || out.nextToken === nextToken) break;
        nextToken = out.nextToken;
      }
    } catch (error) {
      if (error instanceof NotFoundError) return [];
      throw error;
    }
    return lines;
  },
});
export type TimelineLogs = ReturnType<typeof createTimelineLogs>;
