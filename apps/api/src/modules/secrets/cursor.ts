import { z } from 'zod';
import { InputError } from '../../platform/errors.ts';

/**
 * Where the next page starts: the ListSecrets token of an AWS page, the offset inside it
 * (a filtered page can end half-way through an AWS page), and the AWS page size used.
 */
export interface PageCursor {
  token: string | null;
  offset: number;
  pageSize: number;
}

const CursorShape = z.object({
  t: z.string().nullable(),
  o: z.number().int().min(0).max(100),
  m: z.number().int().min(1).max(100),
});

export const encodeCursor = (c: PageCursor): string => Buffer.from(JSON.stringify({ t: c.token, o: c.offset, m: c.pageSize })).toString('base64url');

export const decodeCursor = (raw: string): PageCursor => {
  try {
    const parsed = CursorShape.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { token: parsed.t, offset: parsed.o, pageSize: parsed.m };
  } catch {
    throw new InputError({
      message: 'Invalid query parameters: cursor: not a cursor this API issued; start from the first page.',
      details: [{ path: 'cursor', message: 'not a cursor this API issued' }],
    });
  }
};
