import type { FreezeOverride } from '@rotation-console/contracts';
import { RotationRequest, type Principal } from '@rotation-console/contracts';
import { freezeRefusalText, openWindows } from '@rotation-console/rotation';
import { ConflictError, NotAllowedError } from '../../platform/errors.ts';
import type { SecretRefReader } from '../rotation/secret-ref.ts';
import { ENABLE_ROTATION } from '../workflows/workflows.router.ts';
import type { FreezeService } from './freeze.service.ts';

/** The workflow kinds that rotate their secret as they run, whatever their input says. */
export const ROTATING_KINDS: ReadonlySet<string> = new Set(['rotate-now']);

/**
 * Whether a workflow rotates its secret at once: "Rotate secret immediately", and enabling rotation
 * with "Rotate immediately" on (the default). Turning rotation off, clearing a stuck rotation,
 * rolling back and updating a function rotate nothing, so a freeze window never holds them up.
 */
export const rotatesAtOnce = (kind: string, input: unknown): boolean => {
  if (ROTATING_KINDS.has(kind)) return true;
  if (kind !== ENABLE_ROTATION) return false;
  const request = RotationRequest.safeParse((input as { request?: unknown } | null)?.request);
  // Unreadable: as if it rotated, so a freeze is never skipped by accident.
  return request.success ? request.data.rotateImmediately : true;
};

/** What the workflow's input (and so its audit record) keeps of an admin's override. */
export interface FreezeOverrideRecord {
  reason: string;
  by: string;
  windows: { name: string; start: string; end: string }[];
}

export interface FreezeGateSpec {
  kind: string;
  subject: string;
  input: unknown;
  /** An admin's explicit override (the request's `overrideFreeze`). */
  overrideFreeze?: FreezeOverride | undefined;
}

/**
 * The freeze check of every workflow a request starts (start-workflow.ts): a workflow that would
 * rotate a secret of a team whose freeze window is open now is refused (409, naming the window and
 * its end), unless an admin overrides it with a reason. Gives back the override to record, or null.
 */
export const createFreezeGate =
  ({ freeze, secretRef, now = () => new Date() }: { freeze: Pick<FreezeService, 'windowsOf'>; secretRef: SecretRefReader; now?: () => Date }) =>
  async (principal: Principal, spec: FreezeGateSpec): Promise<FreezeOverrideRecord | null> => {
    if (!rotatesAtOnce(spec.kind, spec.input)) return null;
    const { team } = await secretRef(spec.subject);
    if (team === null) return null;
    const open = openWindows(await freeze.windowsOf(team), now());
    if (open.length === 0) return null;
    if (!spec.overrideFreeze) throw new ConflictError({ message: freezeRefusalText(open, team) });
    if (!principal.roles.includes('admin')) {
      throw new NotAllowedError({ message: `Only an admin may override team ${team}'s freeze window ${open[0]!.window.name}.` });
    }
    return {
      reason: spec.overrideFreeze.reason,
      by: principal.name,
      windows: open.map((o) => ({ name: o.window.name, start: o.span.start.toISOString(), end: o.span.end.toISOString() })),
    };
  };
export type FreezeGate = ReturnType<typeof createFreezeGate>;
