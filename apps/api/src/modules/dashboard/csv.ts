import { secretStatusLabels, type SecretStatus } from '@rotation-console/contracts';
import { scheduleInWords, type IndexRow } from './index-row.ts';

/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet: a cell that starts with = + - @,
 * a tab or a carriage return would be read as a formula (CSV injection), so it gets a
 * leading apostrophe; a cell with a comma, quote or line break is quoted, quotes doubled.
 */
export const csvCell = (value: string | null | undefined): string => {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvLine = (cells: readonly (string | null | undefined)[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export const CSV_HEADER = [
  'Name',
  'ARN',
  'Description',
  'Team',
  'Engine',
  'Status',
  'Rotation enabled',
  'Schedule',
  'Last rotated',
  'Next rotation',
  'Rotation function',
  'Managed by',
  'Account',
  'Region',
] as const;

/** A row of the export: the index row's fields, the status and schedule in words. Never a value. */
export const csvRow = (row: IndexRow): string =>
  csvLine([
    row.name,
    row.arn,
    row.description,
    row.team,
    row.engine,
    secretStatusLabels[row.status as SecretStatus] ?? row.status,
    row.rotation_enabled ? 'Yes' : 'No',
    scheduleInWords(row),
    row.last_rotated_at,
    row.next_rotation_at,
    row.lambda_arn,
    row.owning_service,
    row.account_id,
    row.region,
  ]);
