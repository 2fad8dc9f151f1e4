import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatWindow, formatWindowHours } from './format-date.ts';

describe('formatDateTime', () => {
  it('When given an ISO date with an offset, then it shows the UTC time as the AWS console does', () => {
    // Arrange
    const iso = '2026-11-28T18:07:00+01:00';

    // Act
    const text = formatDateTime(iso);

    // Assert
    expect(text).toBe('November 28, 2026, 17:07 (UTC)');
  });

  it('When the hour is midnight, then it is shown as 00, not 24', () => {
    // Arrange / Act
    const text = formatDateTime('2026-01-05T00:03:00Z');

    // Assert
    expect(text).toBe('January 5, 2026, 00:03 (UTC)');
  });

  it('When the date is missing or invalid, then a dash is shown', () => {
    // Arrange / Act / Assert
    expect(formatDateTime(null)).toBe('-');
    expect(formatDateTime('not a date')).toBe('-');
    expect(formatDay(undefined)).toBe('-');
  });

  it('When a value is kept to the day (a version last accessed), then only its day is shown', () => {
    // Arrange / Act / Assert
    expect(formatDay('2026-11-28T00:00:00Z')).toBe('November 28, 2026');
  });
});

describe('rotation windows', () => {
  it('When a window ends the same day, then it reads from one time to the other, in UTC', () => {
    // Arrange
    const window = { start: '2026-12-01T04:00:00Z', end: '2026-12-01T07:00:00Z' };

    // Act / Assert
    expect(formatWindowHours(window)).toBe('04:00 to 07:00 (UTC)');
    expect(formatWindow(window)).toBe('December 1, 2026, 04:00 to 07:00 (UTC)');
  });

  it('When a window ends on the next day, then its hours say so', () => {
    // Arrange / Act / Assert
    expect(formatWindowHours({ start: '2026-12-01T22:00:00Z', end: '2026-12-02T01:00:00Z' })).toBe('22:00 to 01:00 the next day (UTC)');
  });

  it('When a window is a whole UTC day, then the calendar and the wizard both say "any time of the day"', () => {
    // Arrange
    const window = { start: '2026-12-28T00:00:00.000Z', end: '2026-12-29T00:00:00.000Z' };

    // Act / Assert
    expect(formatWindowHours(window)).toBe('any time of the day (UTC)');
    expect(formatWindow(window)).toBe('December 28, 2026, any time of the day (UTC)');
  });
});
