import { describe, expect, it } from 'vitest';
import { ListSecretsQuery } from '../src/secrets.ts';

describe('ListSecretsQuery', () => {
  it('When no limit is given, then the page size defaults to 20', () => {
    expect(ListSecretsQuery.parse({})).toEqual({ limit: 20 });
  });

  it('When the limit is above 100, then the error says the maximum', () => {
    const result = ListSecretsQuery.safeParse({ limit: '500' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('limit must be at most 100');
  });

  it('When a name holds characters ListSecrets refuses, then the error lists the allowed ones', () => {
    const result = ListSecretsQuery.safeParse({ name: 'db;drop' });
    expect(result.error?.issues[0]?.message).toMatch(/may contain only A-Z/);
  });
});
