import { describe, expect, it } from 'vitest';
import { readRotationLog, type LogEvent } from '../src/rotation-log.ts';

const TOKEN = '11111111-2222-4333-8444-555555555555';
const OTHER = '99999999-8888-4777-8666-555555555555';
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/payments/reports-db-AbCdEf';
const OTHER_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/identity/users-db-XyZ123';

/** One invocation of the bundled function, as the harness writes it: its own stream, START/END around JSON lines. */
const bundled = (requestId: string, step: string, versionId: string, secretArn: string, error?: string): LogEvent[] => {
  const base = { step, secretArn, versionId, strategy: 'single-user' };
  const lines = [
    `START RequestId: ${requestId}`,
    JSON.stringify({ level: 'info', message: 'rotation step started', ...base }),
    error
      ? JSON.stringify({ level: 'error', message: 'rotation step failed', ...base, outcome: 'failed', errorCategory: 'network', error })
      : JSON.stringify({ level: 'info', message: 'rotation step succeeded', ...base, outcome: 'done' }),
    ...(error ? [JSON.stringify({ errorType: 'RotationError', errorMessage: error })] : []),
    `END RequestId: ${requestId}`,
  ];
  return lines.map((message, i) => ({ message, timestamp: 1000 + i, logStreamName: `2026/12/07/[$LATEST]${requestId.replace(/-/g, '')}` }));
};
const rid = (n: number) => `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`;

describe('readRotationLog', () => {
  it('When two secrets share a function, then only the invocations carrying this rotation\u2019s token are read, each step with its outcome', () => {
    const events = [
      ...bundled(rid(1), 'createSecret', TOKEN, ARN),
      ...bundled(rid(2), 'createSecret', OTHER, OTHER_ARN),
      ...bundled(rid(3), 'setSecret', OTHER, OTHER_ARN, 'getaddrinfo ENOTFOUND users-db.demo.internal'),
      ...bundled(rid(4), 'setSecret', TOKEN, ARN, 'getaddrinfo ENOTFOUND reports-db.demo.internal'),
    ];
    const log = readRotationLog(events, { versionId: TOKEN, secretArn: ARN });
    expect(log.invocations.map((i) => [i.requestId, i.step, i.outcome])).toEqual([
      [rid(1), 'createSecret', 'succeeded'],
      [rid(4), 'setSecret', 'failed'],
    ]);
    expect(log.steps).toEqual({
      createSecret: { outcome: 'succeeded' },
      setSecret: { outcome: 'failed', error: 'getaddrinfo ENOTFOUND reports-db.demo.internal' },
    });
    const text = log.invocations.flatMap((i) => i.lines).join('\n');
    expect(text).not.toContain('users-db');
    expect(text).toContain(`START RequestId: ${rid(4)}`);
  });

  it('When Lambda prefixes lines with time and request id in one stream for many invocations, then each line goes with its own invocation', () => {
    const at = '2026-12-07T00:00:00.000Z';
    const events: LogEvent[] = [
      `START RequestId: ${rid(1)} Version: $LATEST`,
      `${at}\t${rid(1)}\tINFO\t${JSON.stringify({ message: 'rotation step succeeded', step: 'createSecret', versionId: OTHER })}`,
      `END RequestId: ${rid(1)}`,
      `START RequestId: ${rid(2)} Version: $LATEST`,
      `${at}\t${rid(2)}\tERROR\tInvoke Error \t${JSON.stringify({ errorType: 'Error', errorMessage: `no stage for ${TOKEN}` })}`,
      `END RequestId: ${rid(2)}`,
    ].map((message, i) => ({ message, timestamp: i, logStreamName: 'one-container' }));
    const log = readRotationLog(events, { versionId: TOKEN });
    expect(log.invocations).toHaveLength(1);
    expect(log.invocations[0]).toMatchObject({ requestId: rid(2), outcome: 'failed', error: `no stage for ${TOKEN}` });
  });

  it('When AWS\u2019s Python template rotates, then its text lines are read: the token on createSecret and finishSecret, the secret on setSecret and testSecret', () => {
    const py = (id: number, text: string) => [
      `START RequestId: ${rid(id)}`,
      `[INFO]\t2026-12-07T00:00:0${id}Z\t${rid(id)}\t${text}`,
      `END RequestId: ${rid(id)}`,
    ];
    const events: LogEvent[] = [
      ...py(1, `createSecret: Successfully put secret for ARN ${ARN} and version ${TOKEN}.`),
      ...py(2, `setSecret: Successfully set password for user app in PostgreSQL DB for secret arn ${ARN}.`),
      ...py(3, `testSecret: Successfully signed into PostgreSQL DB for secret arn ${OTHER_ARN}.`),
      ...py(4, `testSecret: Successfully signed into PostgreSQL DB for secret arn ${ARN}.`),
      ...py(5, `finishSecret: Successfully set AWSCURRENT stage to version ${TOKEN} for secret ${ARN}.`),
    ].map((message, i) => ({ message, timestamp: i, logStreamName: 'c' }));
    const log = readRotationLog(events, { versionId: TOKEN, secretArn: ARN });
    expect(log.steps).toEqual({
      createSecret: { outcome: 'succeeded' },
      setSecret: { outcome: 'succeeded' },
      testSecret: { outcome: 'succeeded' },
      finishSecret: { outcome: 'succeeded' },
    });
    expect(log.invocations.map((i) => i.requestId)).toEqual([rid(1), rid(2), rid(4), rid(5)]);
  });

  it('When AWS\u2019s Python template fails at setSecret, then the error line is the step\u2019s failure', () => {
    const events: LogEvent[] = [
      `START RequestId: ${rid(1)}`,
      `[INFO]\t2026-12-07T00:00:01Z\t${rid(1)}\tcreateSecret: Successfully put secret for ARN ${ARN} and version ${TOKEN}.`,
      `END RequestId: ${rid(1)}`,
      `START RequestId: ${rid(2)}`,
      `[ERROR]\t2026-12-07T00:00:02Z\t${rid(2)}\tsetSecret: Unable to log into database with previous, current, or pending secret of secret arn ${ARN}`,
      `END RequestId: ${rid(2)}`,
    ].map((message, i) => ({ message, timestamp: i }));
    const log = readRotationLog(events, { versionId: TOKEN, secretArn: ARN });
    expect(log.steps.setSecret).toEqual({
      outcome: 'failed',
      error: `setSecret: Unable to log into database with previous, current, or pending secret of secret arn ${ARN}`,
    });
  });

  it('When an error line is JSON that cannot be read (cut short, or spread over lines), then the failure is told in its words, never as raw JSON', () => {
    const at = '2026-12-07T00:00:00.000Z';
    const cut = `{"errorType":"RotationError","errorMessage":"setSecret: could not log in to \\"app\\" at db.internal","stack":["RotationError: setSecret`;
    const events: LogEvent[] = [
      `START RequestId: ${rid(1)} Version: $LATEST`,
      `${at}\t${rid(1)}\tINFO\t${JSON.stringify({ message: 'rotation step started', step: 'setSecret', versionId: TOKEN })}`,
      `${at}\t${rid(1)}\tERROR\tInvoke Error \t${cut}`,
      `END RequestId: ${rid(1)}`,
      `START RequestId: ${rid(2)} Version: $LATEST`,
      `${at}\t${rid(2)}\tINFO\t${JSON.stringify({ message: 'rotation step started', step: 'testSecret', versionId: TOKEN })}`,
      `${at}\t${rid(2)}\tERROR\tInvoke Error \t{`,
      `END RequestId: ${rid(2)}`,
    ].map((message, i) => ({ message, timestamp: i, logStreamName: 'one-container' }));

    const log = readRotationLog(events, { versionId: TOKEN });

    expect(log.steps).toEqual({
      setSecret: { outcome: 'failed', error: 'setSecret: could not log in to "app" at db.internal' },
      testSecret: { outcome: 'failed', error: null },
    });
  });

  it('When no line names the token, then nothing is read (the logs do not say)', () => {
    const log = readRotationLog(bundled(rid(1), 'createSecret', OTHER, OTHER_ARN), { versionId: TOKEN, secretArn: ARN });
    expect(log).toEqual({ invocations: [], steps: {} });
  });
});
