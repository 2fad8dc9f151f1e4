import { z } from 'zod';
import { InputError } from '../../platform/errors.ts';

/**
 * Where the next page of the Secrets list starts: an offset into the index's rows for the same
 * filters, in name order (the index's own order, as the dashboard's list pages it).
 */
const CursorShape = z.strictObject({ o: z.number().int().min(1).max(10_000_000) });

export const encodeCursor = (offset: number): string => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');

/** `what`: where the cursor came from, as parseInput names it ('query parameters', 'body'). */
export const decodeCursor = (raw: string, what: string): number => {
  try {
    return CursorShape.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))).o;
  } catch {
    throw new InputError({
      message: `Invalid ${what}: cursor: not a cursor this API issued; start from the first page.`,
      details: [{ path: 'cursor', message: 'not a cursor this API issued' }],
    });
  }
};
