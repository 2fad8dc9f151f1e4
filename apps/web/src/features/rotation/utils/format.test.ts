import { describe, expect, it } from 'vitest';
import { formatElapsed, formatWindowLocal, formatWindowUtc, functionNameFromArn } from './format.ts';
import { secretNameFromSubject } from './paths.ts';

describe('formatting', () => {
  it('When a window ends the same UTC day, then only its end time is repeated', () => {
    expect(formatWindowUtc({ start: '2026-12-01T04:00:00Z', end: '2026-12-01T07:00:00Z' })).toBe('December 1, 2026, 04:00 (UTC) to 07:00 (UTC)');
    expect(formatWindowUtc({ start: '2026-12-01T23:00:00Z', end: '2026-12-02T01:00:00Z' })).toBe(
      'December 1, 2026, 23:00 (UTC) to December 2, 2026, 01:00 (UTC)',
    );
  });

  it('When a window is a whole UTC day, then it says so', () => {
    expect(formatWindowUtc({ start: '2026-12-28T00:00:00.000Z', end: '2026-12-29T00:00:00.000Z' })).toBe('December 28, 2026, any time (UTC day)');
  });

  it('When shown in a time zone, then the window is in that zone and names it', () => {
    const text = formatWindowLocal({ start: '2026-12-01T04:00:00Z', end: '2026-12-01T07:00:00Z' }, 'Asia/Tokyo');
    expect(text).toMatch(/^Your time: /);
    expect(text).toContain('(Asia/Tokyo)');
    expect(text).toMatch(/1:00/);
  });

  it('When a step ran, then how long it took is short', () => {
    expect(formatElapsed('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.850Z')).toBe('850 ms');
    expect(formatElapsed('2026-01-01T00:00:00Z', '2026-01-01T00:03:05Z')).toBe('3 min 5 s');
    expect(formatElapsed('2026-01-01T00:00:00Z', null)).toBe('-');
  });

  it('When given ARNs, then the function and secret names are read from them', () => {
    expect(functionNameFromArn('arn:aws:lambda:us-east-1:123456789012:function:rotate-pg')).toBe('rotate-pg');
    expect(secretNameFromSubject('arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf')).toBe('prod/db');
    expect(secretNameFromSubject('prod/db')).toBe('prod/db');
  });
});
