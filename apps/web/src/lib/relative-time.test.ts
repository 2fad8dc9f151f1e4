import { describe, expect, it } from 'vitest';
import { timeAgo } from './relative-time.ts';

describe('timeAgo', () => {
  it('When a time is in the past, then it reads in minutes, hours or days', () => {
    // Arrange
    const now = Date.parse('2026-11-30T12:00:00Z');

    // Act / Assert
    expect(timeAgo('2026-11-30T11:59:30Z', now)).toBe('just now');
    expect(timeAgo('2026-11-30T11:59:00Z', now)).toBe('1 minute ago');
    expect(timeAgo('2026-11-30T11:57:30Z', now)).toBe('2 minutes ago');
    expect(timeAgo('2026-11-30T09:00:00Z', now)).toBe('3 hours ago');
    expect(timeAgo('2026-11-28T12:00:00Z', now)).toBe('2 days ago');
    expect(timeAgo('2026-11-30T12:00:10Z', now)).toBe('just now');
    expect(timeAgo('not a date', now)).toBeNull();
  });
});
