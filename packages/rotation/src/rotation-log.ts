/**
 * Picks one rotation's invocations out of a rotation function's log group, and reads what
 * each step said. A function may serve several secrets, so a log group mixes rotations:
 * only the invocations that carry this rotation's ClientRequestToken (the new version's id)
 * are kept, each with all of its lines (found by the Lambda request id).
 *
 * Understands the bundled function (one JSON object a line: step, versionId, message
 * "rotation step succeeded" / "rotation step failed", error) and AWS's own Python
 * templates ("createSecret: Successfully put secret for ARN ... and version ...",
 * "[ERROR] ..."), with or without Lambda's "time\trequestId\tLEVEL\t" prefix.
 */
import type { RotationStepName } from './diagnosis.ts';

export const ROTATION_STEPS: readonly RotationStepName[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

/** One CloudWatch Logs event, as FilterLogEvents gives it. */
export interface LogEvent {
  message: string;
  timestamp?: number;
  logStreamName?: string;
}

export type InvocationOutcome = 'succeeded' | 'failed' | 'unknown';

/** One invocation of the function for this rotation: its step, what it said, and its lines. */
export interface StepInvocation {
  step: RotationStepName | null;
  requestId: string | null;
  outcome: InvocationOutcome;
  /** The function's own error message for a failed step (as logged; the caller redacts lines first). */
  error: string | null;
  lines: string[];
}

/** What the log says of each step of one rotation: the last invocation of the step with a known outcome. */
export type StepEvidence = Partial<Record<RotationStepName, { outcome: 'succeeded' } | { outcome: 'failed'; error: string | null }>>;

export interface RotationLog {
  invocations: StepInvocation[];
  steps: StepEvidence;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const MARKER = /^(START|END|REPORT) RequestId: ([0-9a-f-]{36})/i;
const STEP_PREFIX = /^\s*(?:\[\w+\]\s*)?(createSecret|setSecret|testSecret|finishSecret)\b/;
const STEP_ANYWHERE = /\b(createSecret|setSecret|testSecret|finishSecret)\b/;

interface JsonFields {
  message?: unknown;
  step?: unknown;
  outcome?: unknown;
  error?: unknown;
  errorMessage?: unknown;
  errorType?: unknown;
  requestId?: unknown;
  level?: unknown;
}

const jsonOf = (text: string): JsonFields | null => {
  const start = text.indexOf('{');
  if (start < 0 || !text.trimEnd().endsWith('}')) return null;
  try {
    const value: unknown = JSON.parse(text.slice(start));
    return typeof value === 'object' && value !== null ? (value as JsonFields) : null;
  } catch {
    return null;
  }
};

const isUuid = (s: string | undefined) => s !== undefined && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** The request id a line names itself: a START/END/REPORT marker, Lambda's tab prefix, or a JSON requestId. */
const requestIdOfLine = (line: string): string | null => {
  const marker = MARKER.exec(line);
  if (marker) return marker[2]!;
  const fields = line.split('\t');
  // Node.js: "time\tid\tLEVEL\tmessage"; Python: "[LEVEL]\ttime\tid\tmessage". Only the prefix, never the message.
  for (const field of fields.slice(0, -1).slice(0, 3)) if (isUuid(field)) return field;
  const json = jsonOf(line);
  return typeof json?.requestId === 'string' && isUuid(json.requestId) ? json.requestId : null;
};

/** The text after Lambda's tab prefix. */
const bodyOf = (line: string) => line.split('\t').at(-1) ?? line;

interface Group {
  requestId: string | null;
  lines: string[];
}

/** Splits events into invocations: by request id where a line names one, else by the invocation open in the same log stream. */
const groupByInvocation = (events: readonly LogEvent[]): Group[] => {
  const groups: Group[] = [];
  const byId = new Map<string, Group>();
  const openInStream = new Map<string, string>();
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => (a.e.timestamp ?? 0) - (b.e.timestamp ?? 0) || a.i - b.i);
  for (const { e } of sorted) {
    const stream = e.logStreamName ?? '';
    for (const raw of e.message.split('\n')) {
      const line = raw.trimEnd();
      if (!line.trim()) continue;
      const own = requestIdOfLine(line);
      const id = own ?? openInStream.get(stream) ?? null;
      if (own && /^START RequestId/.test(line)) openInStream.set(stream, own);
      let group = id ? byId.get(id) : undefined;
      if (!group) {
        group = { requestId: id, lines: [] };
        groups.push(group);
        if (id) byId.set(id, group);
      }
      group.lines.push(line);
      if (own && /^(END|REPORT) RequestId/.test(line) && openInStream.get(stream) === own) openInStream.delete(stream);
    }
  }
  return groups;
};

/**
 * An error line's message in words: the line itself, unless it is JSON that could not be read
 * (cut short, or a runtime's object spread over several lines), which would put raw JSON in the
 * step's headline: then its "errorMessage" or "error" string where one is there, else nothing.
 */
const errorInWords = (text: string): string | null => {
  if (!/^[{[]/.test(text)) return text || null;
  const quoted = /"(?:errorMessage|error)"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  if (quoted === undefined) return null;
  try {
    return (JSON.parse(`"${quoted}"`) as string) || null;
  } catch {
    return quoted || null;
  }
};

/** What one invocation said: its step, success or failure, and the failure's message. */
const readInvocation = (group: Group): StepInvocation => {
  let step: RotationStepName | null = null;
  let outcome: InvocationOutcome = 'unknown';
  let error: string | null = null;
  const fail = (message: string | null) => {
    if (outcome !== 'failed') error = message;
    outcome = 'failed';
  };
  for (const line of group.lines) {
    if (MARKER.test(line)) continue;
    const body = bodyOf(line);
    const json = jsonOf(body);
    if (json) {
      if (typeof json.step === 'string' && STEP_ANYWHERE.test(json.step)) step ??= json.step as RotationStepName;
      if (json.outcome === 'failed' || json.message === 'rotation step failed') fail(typeof json.error === 'string' ? json.error : null);
      else if (json.message === 'rotation step succeeded' && outcome === 'unknown') outcome = 'succeeded';
      else if (typeof json.errorMessage === 'string') fail(json.errorMessage); // the runtime's report of a thrown error
      continue;
    }
    const prefixed = STEP_PREFIX.exec(body);
    if (prefixed) step ??= prefixed[1] as RotationStepName;
    const level = line.split('\t').find((f) => /^\[?(ERROR|FATAL)\]?$/.test(f));
    if (level || /^\s*\[(ERROR|FATAL)\]/.test(body) || /^Task timed out after/.test(body)) {
      fail(errorInWords(body.replace(/^\s*\[(ERROR|FATAL)\]\s*/, '').trim()));
      step ??= (STEP_ANYWHERE.exec(body)?.[1] as RotationStepName | undefined) ?? null;
    } else if (prefixed && /:\s*(Successfully|Version \S+ already marked as AWSCURRENT)/.test(body) && outcome === 'unknown') {
      outcome = 'succeeded';
    }
  }
  return { step, requestId: group.requestId, outcome, error, lines: group.lines };
};

/** Whether an invocation belongs to this rotation: it names the token; or (AWS's templates, whose setSecret and testSecret lines name only the secret) it names the secret and no other version, after this rotation began. */
const belongs = (group: Group, versionId: string, secretArn: string | undefined, begun: boolean) => {
  const text = group.lines.join('\n');
  if (text.includes(versionId)) return true;
  if (!begun || !secretArn || !text.includes(secretArn)) return false;
  const others = (text.match(UUID) ?? []).filter((id) => id.toLowerCase() !== (group.requestId ?? '').toLowerCase());
  return others.length === 0;
};

/** This rotation's invocations (oldest first) and what each step said. Lines of other rotations are never returned. */
export const readRotationLog = (events: readonly LogEvent[], rotation: { versionId: string; secretArn?: string }): RotationLog => {
  const invocations: StepInvocation[] = [];
  let begun = false;
  for (const group of groupByInvocation(events)) {
    if (!belongs(group, rotation.versionId, rotation.secretArn, begun)) continue;
    begun = true;
    invocations.push(readInvocation(group));
  }
  const steps: StepEvidence = {};
  for (const inv of invocations) {
    if (!inv.step || inv.outcome === 'unknown') continue;
    steps[inv.step] = inv.outcome === 'failed' ? { outcome: 'failed', error: inv.error } : { outcome: 'succeeded' };
  }
  return { invocations, steps };
};
