// After the specs: did the seeded secrets' marker show up anywhere? Reads what every worker's
// recorder saw (responses, pages, downloads), the logs of the API, the emulator and the demo
// provider kept by each start script (LOG_DIR, one folder per emulator), and the CloudWatch log
// events in each emulator (the rotation functions' output). Fails the run with every place it was seen, never the text around it.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { harnessClients } from '@rotation-console/harness/aws.ts';
import { locate, type Sighting } from './canary.ts';
import type { CanaryRecord } from './recorder.ts';

/** A seeded secret whose value must hold the marker when the canary is armed. */
const PROBE_SECRET = 'prod/payments/orders-db';

const readRecords = (dir: string): CanaryRecord[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^worker-\d+\.ndjson$/.test(f))
        .flatMap((f) =>
          readFileSync(path.join(dir, f), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as CanaryRecord),
        )
    : [];

const scanLogFiles = (logDir: string, marker: string) => {
  const sightings: Sighting[] = [];
  let lines = 0;
  const files = existsSync(logDir) ? readdirSync(logDir).filter((f) => f.endsWith('.log')) : [];
  for (const file of files) {
    readFileSync(path.join(logDir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        lines++;
        const at = locate(line, marker);
        if (at) sightings.push({ kind: 'log', where: `${file} line ${i + 1}`, at });
      });
  }
  return { files, lines, sightings };
};

const scanCloudWatch = async (endpoint: string, marker: string) => {
  const { logs } = harnessClients(endpoint);
  const sightings: Sighting[] = [];
  let events = 0;
  const groups = (await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? [];
  for (const group of groups) {
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group.logGroupName!, nextToken }));
      for (const event of page.events ?? []) {
        events++;
        const at = locate(event.message ?? '', marker);
        if (at) sightings.push({ kind: 'CloudWatch log', where: `${group.logGroupName} ${event.logStreamName}`, at });
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return { groups: groups.length, events, sightings };
};

const armed = async (endpoint: string, marker: string) => {
  try {
    const { secretsManager } = harnessClients(endpoint);
    const value = await secretsManager.send(new GetSecretValueCommand({ SecretId: PROBE_SECRET }));
    return value.SecretString?.includes(marker) ?? false;
  } catch {
    return false;
  }
};

export default async function canaryTeardown() {
  const marker = process.env.E2E_CANARY;
  const dir = process.env.E2E_CANARY_DIR;
  // Every emulator of the run (playwright.config.ts): each project's console seeded its own.
  const endpoints = (process.env.E2E_AWS_ENDPOINTS ?? '').split(',').filter(Boolean);
  if (!marker || !dir || endpoints.length === 0) return;

  for (const endpoint of endpoints) {
    if (await armed(endpoint, marker)) continue;
    // The server was reused (E2E_REUSE=1) or AWS was seeded earlier: the values hold no marker.
    const message = `canary: not armed at ${endpoint} (${PROBE_SECRET} does not hold this run's marker: the console was started outside this run, or its account was seeded before)`;
    if (process.env.CI) throw new Error(message);
    console.warn(message);
    return;
  }

  const records = readRecords(dir);
  // One folder of process logs per emulator's console (logs/moto, logs/localstack).
  const logDirs = existsSync(path.join(dir, 'logs')) ? readdirSync(path.join(dir, 'logs')).map((d) => path.join(dir, 'logs', d)) : [];
  const scans = logDirs.map((d) => scanLogFiles(d, marker));
  const logs = {
    files: scans.flatMap((scan, i) => scan.files.map((f) => `${path.basename(logDirs[i]!)}/${f}`)),
    lines: scans.reduce((n, scan) => n + scan.lines, 0),
    sightings: scans.flatMap((scan, i) => scan.sightings.map((s) => ({ ...s, where: `${path.basename(logDirs[i]!)}/${s.where}` }))),
  };
  const cloudWatchScans = await Promise.all(
    endpoints.map((endpoint) =>
      scanCloudWatch(endpoint, marker).catch((error: unknown) => ({ groups: 0, events: 0, sightings: [] as Sighting[], error: (error as Error).message })),
    ),
  );
  const cloudWatch = {
    groups: cloudWatchScans.reduce((n, c) => n + c.groups, 0),
    events: cloudWatchScans.reduce((n, c) => n + c.events, 0),
    sightings: cloudWatchScans.flatMap((c) => c.sightings),
  };
  const sum = (key: 'responses' | 'apiResponses' | 'pages' | 'downloads') => records.reduce((n, r) => n + r[key], 0);
  const sightings = [...records.flatMap((r) => r.sightings), ...logs.sightings, ...cloudWatch.sightings];
  const scanned =
    `${sum('responses')} browser responses, ${sum('apiResponses')} API responses to specs, ${sum('pages')} page snapshots, ${sum('downloads')} downloads ` +
    `(${records.length} records), ${logs.lines} log lines in ${logs.files.join(', ') || 'no log files'}, ${cloudWatch.events} CloudWatch events in ${cloudWatch.groups} log groups`;

  const timedOut = records.flatMap((r) => r.timedOut ?? []);
  if (timedOut.length > 0) {
    console.warn(`canary: ${timedOut.length} response(s) or page(s) could not be read in time and were not scanned: ${timedOut.slice(0, 5).join('; ')}`);
  }
  if (sightings.length === 0) {
    console.log(`canary: no seeded secret value in ${scanned}`);
    if (logs.files.length === 0) console.warn('canary: no process logs were kept (LOG_DIR): was the console started outside this run?');
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const shown = sightings.slice(0, 25).map((s) => `  - ${s.kind}: ${s.where}, at ${s.at}${s.test ? `, in "${s.test}"` : ''}`);
  throw new Error(
    [
      `canary: a seeded secret value reached ${sightings.length} place(s) it must never reach:`,
      ...shown,
      ...(sightings.length > shown.length ? [`  ... and ${sightings.length - shown.length} more (see ${dir})`] : []),
      `Scanned: ${scanned}. The records and logs are kept in ${dir}.`,
    ].join('\n'),
  );
}
