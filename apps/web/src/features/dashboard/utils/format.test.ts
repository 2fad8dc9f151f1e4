import { describe, expect, it } from 'vitest';
import { formatDayHeading, groupByDay } from './group-by-day.ts';

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
