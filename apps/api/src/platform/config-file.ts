import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';

/**
 * Reads a JSON settings file named by the environment key `key` (TEAMS_CONFIG, ACCOUNTS_CONFIG) and
 * checks it with `schema`. A missing file, bad JSON or a wrong field throws `fail(message)`, the
 * message naming the key, the path and every field at fault, so the API stops at boot saying why.
 */
export const readConfigFile = <S extends z.ZodType>(key: string, path: string, schema: S, fail: (message: string) => Error): z.infer<S> => {
  if (!existsSync(path)) throw fail(`${key} ${path} does not exist; fix the path or unset ${key}.`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw fail(`${key} ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw fail(`${key} ${path} is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
};
