import { randomUUID } from 'node:crypto';
import {
  changeableTeams,
  FreezeWhen,
  inTeamScope,
  MAX_FREEZE_WINDOWS,
  type FreezeWindow,
  type FreezeWindowList,
  type NewFreezeWindow,
  type Principal,
} from '@rotation-console/contracts';
import { nextOccurrence, openOccurrence } from '@rotation-console/rotation';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.ts';
import type { Teams } from '../../platform/teams-config.ts';

interface Deps {
  db: Kysely<Database>;
  teams: Teams;
  now?: () => Date;
}

/** A team's window as the checks read it: the teams file's and the portal's alike. */
export interface TeamFreezeWindow extends NewFreezeWindow {
  id: string;
  team: string;
  source: 'teams-file' | 'portal';
  createdBy: string | null;
  createdAt: string | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * A team's freeze windows: those its entry in the teams file lists (read-only here) and those its
 * operators add on the portal (stored in the database). Who may read and change them is who may
 * change the team's secrets: the portal's scope (the team's operators, admins).
 */
export const createFreezeService = ({ db, teams, now = () => new Date() }: Deps) => {
  const mayEdit = (principal: Principal, team: string) => inTeamScope(changeableTeams(principal), team);

  const authorizeTeam = (principal: Principal, team: string) => {
    if (!mayEdit(principal, team)) throw new NotAllowedError({ message: `You are not allowed to see or change team ${team}'s freeze windows.` });
  };

  /** Every window of the team, the file's first, then the portal's oldest first. */
  const windowsOf = async (team: string | null): Promise<TeamFreezeWindow[]> => {
    if (team === null) return [];
    const fromFile: TeamFreezeWindow[] = (teams.get(team)?.freezeWindows ?? []).map((w, i) => ({
      ...w,
      id: `file-${i + 1}`,
      team,
      source: 'teams-file',
      createdBy: null,
      createdAt: null,
    }));
    const rows = await db.selectFrom('freeze_windows').selectAll().where('team', '=', team).orderBy('created_at').orderBy('id').execute();
    const stored = rows.flatMap((row): TeamFreezeWindow[] => {
      // A row another version wrote and this one cannot read counts as no window rather than a broken page.
      const when = FreezeWhen.safeParse(JSON.parse(row.definition));
      if (!when.success) return [];
      return [
        {
          id: row.id,
          team,
          name: row.name,
          ...(row.reason ? { reason: row.reason } : {}),
          when: when.data,
          source: 'portal',
          createdBy: row.created_by,
          createdAt: row.created_at,
        },
      ];
    });
    return [...fromFile, ...stored];
  };

  const view = (w: TeamFreezeWindow, at: Date): FreezeWindow => {
    const open = openOccurrence(w.when, at);
    const next = nextOccurrence(w.when, at);
    return {
      ...w,
      openNow: open ? { start: open.start.toISOString(), end: open.end.toISOString() } : null,
      next: next ? { start: next.start.toISOString(), end: iso(next.end)! } : null,
    };
  };

  return {
    windowsOf,

    async list(principal: Principal, team: string): Promise<FreezeWindowList> {
      authorizeTeam(principal, team);
      const at = now();
      return { team, items: (await windowsOf(team)).map((w) => view(w, at)), canEdit: true };
    },

    async add(principal: Principal, team: string, input: NewFreezeWindow): Promise<FreezeWindow> {
      authorizeTeam(principal, team);
      const at = now();
      if (input.when.kind === 'once' && Date.parse(input.when.end) <= at.getTime()) {
        const message = 'This window has already ended: its end must be in the future.';
        throw new InputError({ message, details: [{ path: 'when.end', message }] });
      }
      const existing = await windowsOf(team);
      if (existing.length >= MAX_FREEZE_WINDOWS) {
        throw new ConflictError({ message: `Team ${team} has ${existing.length} freeze windows already, the most a team may have; remove one first.` });
      }
      const row = {
        id: randomUUID(),
        team,
        name: input.name,
        reason: input.reason ?? null,
        definition: JSON.stringify(input.when),
        created_by: principal.name,
        created_at: at.toISOString(),
      };
      await db.insertInto('freeze_windows').values(row).execute();
      return view(
        {
          id: row.id,
          team,
          name: row.name,
          ...(input.reason ? { reason: input.reason } : {}),
          when: input.when,
          source: 'portal',
          createdBy: row.created_by,
          createdAt: row.created_at,
        },
        at,
      );
    },

    /** Removes a window added on the portal; gives back what was removed (for the audit record). */
    async remove(principal: Principal, team: string, windowId: string): Promise<TeamFreezeWindow> {
      authorizeTeam(principal, team);
      const window = (await windowsOf(team)).find((w) => w.id === windowId);
      if (!window) throw new NotFoundError({ message: `Freeze window "${windowId}" of team ${team} was not found.` });
      if (window.source === 'teams-file') {
        throw new ConflictError({ message: `The freeze window ${window.name} comes from the teams file; remove it there.` });
      }
      await db.deleteFrom('freeze_windows').where('id', '=', windowId).where('team', '=', team).execute();
      return window;
    },
  };
};
export type FreezeService = ReturnType<typeof createFreezeService>;
