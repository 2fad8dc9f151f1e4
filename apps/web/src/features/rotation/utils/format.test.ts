import { describe, expect, it } from 'vitest';
import { functionNameOfArn } from '../../../lib/lambda-arn.ts';
import { formatElapsed, formatWindowLocal, secretNameFromSubject } from './format.ts';

describe('formatting', () => {
  it('When shown in another time zone, then the window is worded as the UTC one, in that zone', () => {
    expect(formatWindowLocal({ start: '2026-12-01T04:00:00Z', end: '2026-12-01T07:00:00Z' }, 'Asia/Tokyo')).toBe(
      'Your time: December 1, 2026, 13:00 to 16:00 (Asia/Tokyo)',
    );
    expect(formatWindowLocal({ start: '2026-12-28T00:00:00.000Z', end: '2026-12-29T00:00:00.000Z' }, 'Europe/Berlin')).toBe(
      'Your time: December 28, 2026, 01:00 to 01:00 the next day (Europe/Berlin)',
    );
  });

  it('When the browser is on UTC time, then no second line repeats the UTC window', () => {
    expect(formatWindowLocal({ start: '2026-12-01T04:00:00Z', end: '2026-12-01T07:00:00Z' }, 'UTC')).toBeNull();
    expect(formatWindowLocal({ start: '2026-12-01T04:00:00Z', end: '2026-12-01T07:00:00Z' }, 'Europe/London')).toBeNull();
  });

  it('When a step ran, then how long it took is short', () => {
    expect(formatElapsed('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.850Z')).toBe('850 ms');
    expect(formatElapsed('2026-01-01T00:00:00Z', '2026-01-01T00:03:05Z')).toBe('3 min 5 s');
    expect(formatElapsed('2026-01-01T00:00:00Z', null)).toBe('-');
  });

  it('When given ARNs, then the function and secret names are read from them', () => {
    expect(functionNameOfArn('arn:aws:lambda:us-east-1:123456789012:function:rotate-pg')).toBe('rotate-pg');
    expect(secretNameFromSubject('arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf')).toBe('prod/db');
    expect(secretNameFromSubject('prod/db')).toBe('prod/db');
  });
});
