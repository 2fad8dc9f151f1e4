import { describe, expect, it } from 'vitest';
import { formatDayHeading, groupByDay } from './group-by-day.ts';
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

describe('groupByDay', () => {
  it('When windows span days, then they are grouped by the UTC day they open on, in time order', () => {
    // Arrange
    const windows = [
      { start: '2026-12-02T01:00:00Z', id: 'c' },
      { start: '2026-12-01T23:30:00+02:00', id: 'b' },
      { start: '2026-12-01T04:00:00Z', id: 'a' },
    ];

    // Act
    const days = groupByDay(windows);

    // Assert
    expect(days.map((day) => [day.day, day.items.map((item) => item.id)])).toEqual([
      ['2026-12-01', ['a', 'b']],
      ['2026-12-02', ['c']],
    ]);
    expect(formatDayHeading('2026-12-01')).toBe('Tuesday, December 1, 2026');
  });
});
