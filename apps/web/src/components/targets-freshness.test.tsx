import { render, screen } from '@testing-library/react';
import type { TargetFreshness } from '@rotation-console/contracts';
import { describe, expect, it } from 'vitest';
import { fleetTargets, minutesAgo } from '../test/fixtures.ts';
import { TargetsFreshness } from './targets-freshness.tsx';

const failedIn = (accountId: string, accountName: string, region: string): TargetFreshness => ({
  accountId,
  accountName,
  region,
  state: 'failed',
  indexedAt: minutesAgo(90),
  secretsIndexed: 12,
  error: `The region ${region} is not enabled in ${accountId}`,
  errorAt: minutesAgo(1),
});

describe('TargetsFreshness', () => {
  it('When more targets failed than fit on their own lines, then the first show with their errors and every other is named on one more warning line', async () => {
    // Arrange
    const failed = [
      failedIn('444444444444', 'a', 'us-east-1'),
      failedIn('444444444444', 'a', 'eu-west-1'),
      failedIn('555555555555', 'b', 'us-east-1'),
      failedIn('555555555555', 'b', 'eu-west-1'),
      failedIn('666666666666', 'c', 'us-east-1'),
    ];
    const targets = [...fleetTargets(), ...failed];

    // Act
    render(<TargetsFreshness targets={targets} now={Date.now()} />);

    // Assert
    expect(screen.getByText(/3 of 9 account-regions fresh/)).toBeInTheDocument();
    const lines = [...document.querySelectorAll('span[style*="block"]')].map((line) => line.textContent);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('a (444444444444) us-east-1 failed: The region us-east-1 is not enabled in 444444444444; last success 1 hour ago');
    expect(lines[3]).toBe('3 more failed: b (555555555555) us-east-1, b (555555555555) eu-west-1, c (666666666666) us-east-1');
    expect(await screen.findByRole('button', { name: 'Each account-region' })).toBeInTheDocument();
  });
});
