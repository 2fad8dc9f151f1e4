import type { SecretDetail } from '@rotation-console/contracts';
import type { Query } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { aSecretDetail } from '../../test/fixtures.ts';
import { getSecretQueryOptions, UNSETTLED_SECRET_POLL_MS } from './get-secret.ts';

const intervalFor = (status: 'success' | 'error', data: SecretDetail | undefined) => {
  const { refetchInterval } = getSecretQueryOptions('prod/db');
  if (typeof refetchInterval !== 'function') throw new Error('refetchInterval is not a function');
  return refetchInterval({ state: { status, data } } as unknown as Query<SecretDetail, Error, SecretDetail, readonly ['secrets', 'detail', string]>);
};

describe('getSecretQueryOptions', () => {
  it('When the last rotation has not finished and no failed step is known yet, then the secret is asked again until it settles', () => {
    expect(intervalFor('success', aSecretDetail({ status: 'pending_or_failed', failedStep: null }))).toBe(UNSETTLED_SECRET_POLL_MS);
  });

  it('When the rotation failed at a named step, succeeded, or is unknown, then the page is not polled', () => {
    expect(intervalFor('success', aSecretDetail({ status: 'pending_or_failed', failedStep: 'createSecret' }))).toBe(false);
    for (const status of ['healthy', 'unknown', 'overdue', 'not_enabled'] as const) {
      expect(intervalFor('success', aSecretDetail({ status, failedStep: null }))).toBe(false);
    }
  });

  it('When the last answer was an error, then polling stops until Retry', () => {
    expect(intervalFor('error', aSecretDetail({ status: 'pending_or_failed', failedStep: null }))).toBe(false);
  });
});
