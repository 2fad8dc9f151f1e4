import { describe, expect, it } from 'vitest';
import { formatDateTime } from './format-date.ts';

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
  });
});
