import { z } from 'zod';
import { FreezeOverride } from './freeze.ts';
import type { Action } from './permissions.ts';

/** The four operations on a secret whose rotation is set up: each previewed, then run as a workflow. */
export const Operation = z.enum(['rotate-now', 'turn-off', 'roll-back', 'clear-stuck']);
export type Operation = z.infer<typeof Operation>;

export const operationLabels: Record<Operation, string> = {
  'rotate-now': 'Rotate secret immediately',
  'turn-off': 'Turn off rotation',
  'roll-back': 'Roll back to the previous version',
  'clear-stuck': 'Clear the stuck rotation',
};

/** The permission each operation needs on the secret: the API checks it, the web app disables the button without it. */
export const OPERATION_ACTIONS: Readonly<Record<Operation, Action>> = {
  'rotate-now': 'secrets:rotate',
  'turn-off': 'secrets:turn-off',
  'roll-back': 'secrets:roll-back',
  'clear-stuck': 'secrets:clear-stuck',
};

export const OperationRequest = z
  .strictObject({
    operation: Operation,
    /** Admins only: rotate now although the team's freeze window is open, for this reason (audited). Ignored by operations that rotate nothing. */
    overrideFreeze: FreezeOverride.optional(),
  })
  .meta({ id: 'OperationRequest' });

export const LabelMove = z.object({
  label: z.string(),
  fromVersionId: z.string().nullable(),
  toVersionId: z.string().nullable(),
});

export const OperationPreview = z
  .object({
    operation: Operation,
    secretName: z.string(),
    secretArn: z.string(),
    /** False when the secret's state does not allow it (the reason says why). */
    allowed: z.boolean(),
    reason: z.string().nullable(),
    /** What it will do, in words, with the AWS CLI command for each. */
    actions: z.array(z.object({ description: z.string(), cli: z.string() })),
    /** The staging label moves it makes (roll back, clear stuck). */
    labelMoves: z.array(LabelMove),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'OperationPreview' });
export type OperationPreview = z.infer<typeof OperationPreview>;

/**
 * Whether an operation applies to the secret as it is now, from the same rules the preview and the
 * start use (who may run it is the policy's, which the web app asks itself).
 */
export const OperationAvailability = z
  .object({
    operation: Operation,
    /** False when the secret's state does not allow it now. */
    allowed: z.boolean(),
    /** In a sentence: why it does not apply, or what on this secret calls for it. Shown beside its button. */
    reason: z.string(),
  })
  .meta({ id: 'OperationAvailability' });
export type OperationAvailability = z.infer<typeof OperationAvailability>;
