import pino from 'pino';

export type Logger = pino.Logger;

/** Keys whose values never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'SecretString',
  'SecretBinary',
  'password',
  '*.SecretString',
  '*.SecretBinary',
  '*.password',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
];

export const createLogger = (level: string, destination?: pino.DestinationStream): Logger =>
  pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'rotation-console-api' } }, destination);
