import type { z } from 'zod';
import { InputError } from './errors.ts';

/** Parses request input or throws an InputError naming every bad field. */
export const parseInput = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> => {
  const result = schema.safeParse(value);
  if (!result.success) throw InputError.fromZod(result.error, what);
  return result.data;
};
