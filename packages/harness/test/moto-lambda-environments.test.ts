import { FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEmulatorCredentials, harnessClients } from '../aws.ts';
import { motoAvailable, startMoto, type MotoServer } from '../moto.ts';

// The launcher's Lambda Invoke (moto_launcher.py): invocations of one function at once each run in an
// execution environment of their own and each gets exactly its own lines in the function's log, as on
// AWS. A rotation watch reads one rotation's lines out of a function shared by several secrets.

ensureEmulatorCredentials();

const FUNCTION = 'three-at-once';
const AT_ONCE = 3;

// Each invocation waits until all of its round are running: one environment serving them in turn never gets there.
// It leaves a line to be printed after it answered, which is its own, never the next invocation's.
const HANDLER = `
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export const handler = async (event, context) => {
  const dir = join(process.env.BARRIER_DIR, String(event.round));
  mkdirSync(dir, { recursive: true });
  console.log('invocation ' + event.n + ' began');
  writeFileSync(join(dir, String(event.n)), '');
  const until = Date.now() + 10000;
  while (readdirSync(dir).length < event.of) {
    if (Date.now() > until) throw new Error('invocation ' + event.n + ' ran alone');
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log('invocation ' + event.n + ' saw all ' + event.of + ' at once');
  setTimeout(() => console.log('invocation ' + event.n + ' printed late'), 0);
  return { n: event.n, requestId: context.awsRequestId };
};
`;

interface Invocation {
  requestId: string;
  stream: string;
  lines: string[];
}

/** The log read as Lambda frames it: each stream's lines between START and END belong to that request id; the rest to none. */
const readLog = (events: FilteredLogEvent[]) => {
  const invocations = new Map<string, Invocation>();
  const outside: { stream: string; line: string; after: string | null }[] = [];
  const byStream = Map.groupBy(events, (e) => e.logStreamName!);
  for (const [stream, streamEvents] of byStream) {
    let open: Invocation | null = null;
    let lastEnded: string | null = null;
    for (const { message = '' } of streamEvents) {
      const marker = /^(START|END|REPORT) RequestId: (\S+)/.exec(message);
      if (marker?.[1] === 'START') {
        open = { requestId: marker[2]!, stream, lines: [] };
        invocations.set(open.requestId, open);
      } else if (marker) {
        if (marker[1] === 'END') open = null;
        lastEnded = marker[2]!;
      } else if (open) open.lines.push(message);
      else outside.push({ stream, line: message, after: lastEnded });
    }
  }
  return { invocations, outside, streams: [...byStream.keys()] };
};

describe.runIf(motoAvailable())('Lambda invocations at once under the harness moto', () => {
  let moto: MotoServer;
  let aws: ReturnType<typeof harnessClients>;
  const barrierDir = mkdtempSync(path.join(tmpdir(), 'rc-lambda-at-once-'));

  beforeAll(async () => {
    moto = await startMoto({ port: Number(process.env.TEST_MOTO_PORT ?? 0) });
    aws = harnessClients(moto.endpoint);
    const role = await aws.iam.send(
      new CreateRoleCommand({
        RoleName: 'at-once-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await aws.lambda.send(
      new CreateFunctionCommand({
        FunctionName: FUNCTION,
        Runtime: 'nodejs24.x',
        Role: role.Role!.Arn!,
        Handler: 'index.handler',
        // 4 MB stored, as a bundled function's dependencies make it: the cold round's three invocations all find
        // the code still to be unpacked (concurrent unpacking once left one of them without its code and unlogged).
        Code: { ZipFile: zipSync({ 'index.mjs': strToU8(HANDLER), 'padding.bin': new Uint8Array(4_000_000) }, { level: 0 }) },
        Timeout: 30,
        Environment: { Variables: { BARRIER_DIR: barrierDir } },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
    rmSync(barrierDir, { recursive: true, force: true });
  });

  const invokeRound = (round: number) =>
    Promise.all(
      Array.from({ length: AT_ONCE }, async (_, n) => {
        const out = await aws.lambda.send(new InvokeCommand({ FunctionName: FUNCTION, Payload: strToU8(JSON.stringify({ round, n, of: AT_ONCE })) }));
        return { n, functionError: out.FunctionError, answer: JSON.parse(new TextDecoder().decode(out.Payload)) as { n: number; requestId: string } };
      }),
    );

  const functionLog = async () => (await aws.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${FUNCTION}` }))).events ?? [];
  const readFunctionLog = async () => readLog(await functionLog());
  let cold: Awaited<ReturnType<typeof invokeRound>> = [];

  it('When one function is invoked three times at once, then each runs beside the others and its log holds only its own lines', async () => {
    // Act
    cold = await invokeRound(1);

    // Assert: all three ran at once (none waited for another to end), each in an environment of its own.
    expect(cold.map((r) => [r.functionError, r.answer.n])).toEqual([...Array(AT_ONCE).keys()].map((n) => [undefined, n]));
    const log = await readFunctionLog();
    for (const { n, answer } of cold) {
      expect(log.invocations.get(answer.requestId)?.lines).toEqual([`invocation ${n} began`, `invocation ${n} saw all ${AT_ONCE} at once`]);
    }
    expect(log.streams).toHaveLength(AT_ONCE);
  }, 60_000);

  it('When it is invoked three times at once again, then the warm environments serve them, and a line printed after an invocation answered is in none of the new ones', async () => {
    // Act
    const warm = await invokeRound(2);

    // Assert
    expect(warm.map((r) => [r.functionError, r.answer.n])).toEqual([...Array(AT_ONCE).keys()].map((n) => [undefined, n]));
    const log = await readFunctionLog();
    for (const { n, answer } of warm) {
      expect(log.invocations.get(answer.requestId)?.lines).toEqual([`invocation ${n} began`, `invocation ${n} saw all ${AT_ONCE} at once`]);
    }
    // No new environment: one log stream each, as before.
    expect(log.streams).toHaveLength(AT_ONCE);
    // As on AWS, FilterLogEvents gives the group's events in time order across the streams.
    const times = (await functionLog()).map((e) => e.timestamp!);
    expect(times).toEqual(times.toSorted((a, b) => a - b));
    // The first round's late lines: after their own invocation's END, in its environment's stream.
    for (const { n, answer } of cold) {
      const own = log.invocations.get(answer.requestId)!;
      expect(log.outside).toContainEqual({ stream: own.stream, line: `invocation ${n} printed late`, after: answer.requestId });
    }
  }, 60_000);
});
