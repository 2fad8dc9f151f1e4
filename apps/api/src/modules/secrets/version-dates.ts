import type { VersionRecord } from './secrets.aws.ts';

const DAY_MS = 86_400_000;
/** Clocks and rounding: a version created this long after the secret's LastChangedDate still counts as before it. */
const CLOCK_SLACK_MS = 1_000;

const dayStart = (date: Date) => date.getTime() - (date.getTime() % DAY_MS);

/**
 * ListSecretVersionIds's dates, only where they can be AWS's. Creating a version changes the secret,
 * so no version is created after the secret's LastChangedDate; and AWS keeps LastAccessedDate to the
 * day (midnight UTC), never before the day the version was created. A date that breaks these is not
 * a fact about the secret (moto 5.2.1 answers the time of the call as every version's CreatedDate and
 * LastAccessedDate) and is left out, so the console shows it as unknown rather than as made up.
 */
export const reportedVersionDates = (versions: readonly VersionRecord[], lastChangedDate: Date | null): VersionRecord[] =>
  versions.map((version) => {
    const created = version.createdDate;
    const createdDate = created && lastChangedDate && created.getTime() > lastChangedDate.getTime() + CLOCK_SLACK_MS ? null : created;
    const accessed = version.lastAccessedDate;
    const accessedIsAws = accessed !== null && accessed.getTime() === dayStart(accessed) && (!createdDate || accessed.getTime() >= dayStart(createdDate));
    return { ...version, createdDate, lastAccessedDate: accessedIsAws ? accessed : null };
  });
