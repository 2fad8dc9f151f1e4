import { describe, expect, it } from 'vitest';
import type { VersionRecord } from '../../src/modules/secrets/secrets.aws.ts';
import { reportedVersionDates } from '../../src/modules/secrets/version-dates.ts';

const version = (createdDate: string | null, lastAccessedDate: string | null): VersionRecord => ({
  versionId: 'v1',
  stages: ['AWSCURRENT'],
  createdDate: createdDate ? new Date(createdDate) : null,
  lastAccessedDate: lastAccessedDate ? new Date(lastAccessedDate) : null,
});

describe('reportedVersionDates', () => {
  it('When the dates are as AWS gives them (created before the last change, accessed on a later day), then both are kept', () => {
    // Arrange
    const versions = [version('2026-11-01T10:15:00Z', '2026-11-20T00:00:00Z')];

    // Act
    const [reported] = reportedVersionDates(versions, new Date('2026-11-01T10:15:00.400Z'));

    // Assert
    expect(reported).toEqual(versions[0]);
  });

  it('When a version was accessed on the day it was created, then the day is kept', () => {
    // Arrange / Act
    const [reported] = reportedVersionDates([version('2026-11-01T10:15:00Z', '2026-11-01T00:00:00Z')], new Date('2026-11-01T10:15:00Z'));

    // Assert
    expect(reported!.lastAccessedDate).toEqual(new Date('2026-11-01T00:00:00Z'));
  });

  it('When moto answers the time of the call for both dates (after the secret last changed), then neither is kept', () => {
    // Arrange: moto 5.2.1's ListSecretVersionIds gives every version CreatedDate and LastAccessedDate = now.
    const listedAt = '2026-12-07T03:19:38Z';

    // Act
    const [reported] = reportedVersionDates([version(listedAt, listedAt)], new Date('2026-12-07T03:17:02Z'));

    // Assert
    expect(reported).toMatchObject({ versionId: 'v1', stages: ['AWSCURRENT'], createdDate: null, lastAccessedDate: null });
  });

  it('When a last access has a time of day, or falls before the version existed, then it is not AWS’s and is left out', () => {
    // Arrange / Act
    const [withTime] = reportedVersionDates([version('2026-11-01T10:15:00Z', '2026-11-20T08:30:00Z')], new Date('2026-11-02T00:00:00Z'));
    const [before] = reportedVersionDates([version('2026-11-01T10:15:00Z', '2026-10-30T00:00:00Z')], new Date('2026-11-02T00:00:00Z'));

    // Assert
    expect(withTime!.lastAccessedDate).toBeNull();
    expect(before!.lastAccessedDate).toBeNull();
    expect(before!.createdDate).toEqual(new Date('2026-11-01T10:15:00Z'));
  });

  it('When the secret’s last change is not known, then the created date is kept', () => {
    // Arrange / Act
    const [reported] = reportedVersionDates([version('2026-11-01T10:15:00Z', null)], null);

    // Assert
    expect(reported!.createdDate).toEqual(new Date('2026-11-01T10:15:00Z'));
  });
});
