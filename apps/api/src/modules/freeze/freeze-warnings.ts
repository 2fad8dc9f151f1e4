import type { FreezeWarning } from '@rotation-console/contracts';
import { rotationFreezeWarning, rotationSpanFrom, type NamedFreeze, type ScheduleRules } from '@rotation-console/rotation';
import { rulesOf, type IndexRow } from '../dashboard/index-row.ts';
import type { FreezeService } from './freeze.service.ts';

/** What the warning needs of a secret: whether rotation is on, its rules, and when Secrets Manager rotates it next. */
export interface NextRotationFacts {
  enabled: boolean;
  rules: ScheduleRules;
  /** NextRotationDate, else the console's due date. */
  next: string | null;
}

/**
 * "Next rotation falls in the freeze window …": AWS rotates on its own schedule and the console
 * cannot hold it back, so where the secret's next rotation window meets one of its team's freeze
 * windows, the console says so.
 */
export const nextRotationWarning = (facts: NextRotationFacts, windows: readonly NamedFreeze[], at: Date): FreezeWarning | null => {
  if (!facts.enabled || !facts.next || windows.length === 0) return null;
  const start = new Date(facts.next);
  if (!Number.isFinite(start.getTime())) return null;
  return rotationFreezeWarning(windows, rotationSpanFrom(start, facts.rules), at);
};

/** The same facts from an index row. */
export const indexRowFacts = (row: IndexRow): NextRotationFacts => ({
  enabled: row.rotation_enabled === 1 && row.owning_service === null,
  rules: rulesOf(row),
  next: row.next_rotation_at ?? row.due_at,
});

/** Warnings for rows of many teams, reading each team's windows once. */
export const createRowWarnings = (freeze: Pick<FreezeService, 'windowsOf'>, at: Date) => {
  const byTeam = new Map<string, ReturnType<FreezeService['windowsOf']>>();
  return async (row: IndexRow): Promise<FreezeWarning | null> => {
    if (row.team === null) return null;
    let windows = byTeam.get(row.team);
    if (!windows) byTeam.set(row.team, (windows = freeze.windowsOf(row.team)));
    return nextRotationWarning(indexRowFacts(row), await windows, at);
  };
};
