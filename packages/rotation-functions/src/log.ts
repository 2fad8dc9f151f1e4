// One JSON object per line on stdout/stderr, which CloudWatch Logs keeps as-is.
// Callers pass only identifiers and outcomes; as a last line of defence every line is
// also run through the invocation's Redactor before it is written.
import type { Redactor } from './errors.ts';

export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = Record<string, string | number | boolean | undefined | null | readonly string[]>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export function createLogger(base: LogFields = {}, redactor?: Redactor): Logger {
  const write = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    const record = { time: new Date().toISOString(), level, message, ...base, ...fields };
    let line = JSON.stringify(record);
    if (redactor) line = redactor.redact(line);
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => createLogger({ ...base, ...fields }, redactor),
  };
}
