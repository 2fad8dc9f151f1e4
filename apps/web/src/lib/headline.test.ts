import { describe, expect, it } from 'vitest';
import { detailAfterHeadline } from './headline.ts';

describe('detailAfterHeadline', () => {
  it('When the message starts with what the headline says, then only the rest is shown', () => {
    // Arrange / Act / Assert
    expect(detailAfterHeadline('Rotation failed at setSecret', 'The rotation failed at setSecret: Network error: getaddrinfo ENOTFOUND db')).toBe(
      'Network error: getaddrinfo ENOTFOUND db',
    );
    expect(
      detailAfterHeadline(
        'Rotation outcome unknown \u2014 the function\u2019s logs do not say',
        'Rotation outcome unknown \u2014 the function\u2019s logs do not say: the log shows no outcome for setSecret; version v2 still has AWSPENDING.',
      ),
    ).toBe('The log shows no outcome for setSecret; version v2 still has AWSPENDING.');
    expect(detailAfterHeadline('Found database orders in vpc-1', 'Found database orders in vpc-1; its subnets have no route out.')).toBe(
      'Its subnets have no route out.',
    );
  });

  it('When the message says no more than the headline, then nothing is shown under it', () => {
    // Arrange / Act / Assert
    expect(detailAfterHeadline('Rotation failed at setSecret', 'The rotation failed at setSecret.')).toBeNull();
    expect(detailAfterHeadline('Rotation failed', '')).toBeNull();
  });

  it('When the message says something else, then it is shown whole', () => {
    // Arrange / Act / Assert
    expect(detailAfterHeadline('Rotation succeeded', 'The rotation finished: all four steps succeeded.')).toBe(
      'The rotation finished: all four steps succeeded.',
    );
  });
});
