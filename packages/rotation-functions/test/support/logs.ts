// Captures the handler's JSON log lines (and keeps them off the test output).
import { vi } from 'vitest';

export interface CapturedLogs {
  /** Every line written through console.log / warn / error. */
  readonly lines: string[];
  /** The lines parsed as JSON (non-JSON lines become { raw }). */
  records(): Record<string, unknown>[];
  /** Outcomes of finished steps, in order: "createSecret:created", ... */
  outcomes(): string[];
  restore(): void;
}

export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const spies = (['log', 'warn', 'error'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    }),
  );
  const records = () =>
    lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { raw: line };
      }
    });
  return {
    lines,
    records,
    outcomes: () =>
      records()
        .filter((r) => r.message === 'rotation step succeeded' || r.message === 'rotation step failed')
        .map((r) => `${String(r.step)}:${String(r.outcome)}`),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}
