import { owningServiceName, type Operation, type OperationPreview } from '@rotation-console/contracts';
import { formatDateTime } from '@rotation-console/contracts/format-date';
import { masterGrantSid, revokeMasterCli } from './master-grants.ts';
import { shellQuote } from './shell.ts';

// The operations on a secret (rotate now, turn off, roll back, clear a stuck rotation) worked out
// against the secret's state, changing nothing: the API reads the state, shows the preview, and
// runs the steps as a workflow.

/** One version of a secret and its staging labels. Never its value. */
export interface VersionState {
  versionId: string;
  stages: string[];
  createdDate: Date | null;
}

/** What an operation needs to know about a secret, read fresh from Secrets Manager. */
export interface SecretState {
  name: string;
  arn: string;
  owningService: string | null;
  tags: { key: string; value: string }[];
  rotation: {
    enabled: boolean;
    lambdaArn: string | null;
    rules: { automaticallyAfterDays: number | null; scheduleExpression: string | null; duration: string | null } | null;
  };
  nextRotationDate: Date | null;
  /** Every version, also those without a label (IncludeDeprecated). */
  versions: VersionState[];
}

/** One workflow step an operation adds (the API stores it as a StepSpec). */
export interface OperationStep {
  id: string;
  kind: string;
  title: string;
  dependsOn: string[];
  /** What the step is asked to ensure. Never a secret value. */
  input: Record<string, unknown>;
}

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';
export const AWSPENDING = 'AWSPENDING';

/** The step kinds operations add to the runner's registry (the API's operation-steps.aws.ts). */
export const OPERATION_STEP_KINDS = {
  rotateNow: 'rotate-secret-now',
  cancelRotation: 'cancel-rotation',
  moveCurrentToPrevious: 'move-current-to-previous',
  removePendingLabel: 'remove-pending-label',
  revokeMasterSecretAccess: 'revoke-master-secret-access',
  /** Registered by the rotation module; rotate-now reuses it to watch the rotation it started. */
  watchRotation: 'watch-first-rotation',
} as const;

/**
 * An operation worked out against the secret's state: what the operator is shown, whether it
 * may run (and which HTTP error answers if not), and the workflow steps that carry it out.
 */
export interface OperationDraft {
  preview: OperationPreview;
  /** 'input': it can never run on this secret (400); 'conflict': not in the secret's present state (409). */
  refusal: 'input' | 'conflict' | null;
  steps: OperationStep[];
}

/** A master secret grant the console made on a rotation function's role (multi-user rotation). */
export interface MasterGrant {
  /** The secret whose rotation the grant was made for. */
  secretArn: string;
  masterSecretArn: string;
  roleName: string;
  policyName: string;
}

/** What turning rotation off does to the secret's master grant (the API's master-grants.aws.ts found it). */
export interface MasterGrantPlan extends MasterGrant {
  /** Other secrets rotating with a function on this role that use the same master secret. */
  neededBy: string[];
  /** The statement is the policy's last: the policy is deleted. */
  removesPolicy: boolean;
}

/** What an operation's draft knows beyond the secret itself. */
export interface DraftContext {
  /** Turn off only: the secret's master grant, when the console made one that is still there. */
  masterGrant?: MasterGrantPlan | null;
}

/** The version carrying a staging label, if any. */
export const versionWith = (state: SecretState, label: string): string | null => state.versions.find((v) => v.stages.includes(label))?.versionId ?? null;

/** The version carrying AWSPENDING while it is not AWSCURRENT: a rotation that did not finish (or is running now). */
export const unfinishedPendingOf = (state: SecretState): string | null =>
  state.versions.find((v) => v.stages.includes(AWSPENDING) && !v.stages.includes(AWSCURRENT))?.versionId ?? null;

const functionName = (arn: string) => arn.split(':').at(-1) ?? arn;

/** What the audit record keeps as "before": the rotation configuration and every version's labels. */
export const beforeOf = (state: SecretState) => ({
  rotation: state.rotation,
  versionStages: Object.fromEntries(state.versions.map((v) => [v.versionId, v.stages])),
});

const CANCEL_WARNING =
  'If you cancel a rotation in progress, it can leave the VersionStage labels in an unexpected state. You might need to remove the staging label AWSPENDING from the partially created version, and decide whether to roll back to the previous version (AWS, CancelRotateSecret).';

/** Works out what an operation would do to the secret, changing nothing. */
export const draftOperation = (operation: Operation, state: SecretState, context: DraftContext = {}): OperationDraft => {
  const id = shellQuote(state.name);
  const current = versionWith(state, AWSCURRENT);
  const previous = versionWith(state, AWSPREVIOUS);
  const pending = versionWith(state, AWSPENDING);
  const stuck = unfinishedPendingOf(state);
  const base = { operation, secretName: state.name, secretArn: state.arn };

  const refuse = (refusal: 'input' | 'conflict', reason: string, warnings: string[] = []): OperationDraft => ({
    preview: { ...base, allowed: false, reason, actions: [], labelMoves: [], warnings },
    refusal,
    steps: [],
  });

  if (state.owningService) {
    return refuse(
      'input',
      `This secret is managed by ${owningServiceName(state.owningService)}: its rotation is changed through ${owningServiceName(state.owningService)}, not through Secrets Manager.`,
    );
  }

  const removePendingCli = (versionId: string) =>
    `aws secretsmanager update-secret-version-stage --secret-id ${id} --version-stage AWSPENDING --remove-from-version-id ${versionId}`;

  switch (operation) {
    case 'rotate-now': {
      if (!state.rotation.enabled || !state.rotation.lambdaArn) {
        return refuse(
          'conflict',
          state.rotation.lambdaArn
            ? 'Rotation is turned off for this secret. Turn it on first (Edit rotation): rotating now would also turn it back on.'
            : 'Rotation is not configured for this secret: there is no rotation function to run. Turn it on first (Edit rotation).',
        );
      }
      if (stuck) {
        return refuse(
          'conflict',
          `Version ${stuck} has AWSPENDING but not AWSCURRENT: a rotation did not finish, and Secrets Manager refuses a new one until it is cleared. Clear the stuck rotation first.`,
        );
      }
      const fn = state.rotation.lambdaArn;
      return {
        preview: {
          ...base,
          allowed: true,
          reason: null,
          actions: [
            {
              description: `Rotate the secret now with its rotation function ${functionName(fn)}, keeping the rotation schedule (RotateSecret). The function creates a new version under AWSPENDING, sets and tests it, then moves AWSCURRENT to it; AWSPREVIOUS moves to the version that is AWSCURRENT now${current ? ` (${current})` : ''}.`,
              cli: `aws secretsmanager rotate-secret --secret-id ${id} --rotation-lambda-arn ${fn}`,
            },
            {
              description:
                'Wait until the new version is AWSCURRENT; if the rotation fails, show the step of the function that failed and the last lines of its log.',
              cli: `aws secretsmanager describe-secret --secret-id ${id}`,
            },
          ],
          labelMoves: [],
          warnings: [
            'The secret rotates at once. Applications that read it from Secrets Manager get the new credentials; any that keep their own copy fail once the old credentials stop working.',
            'With single-user rotation, sign-in failures can occur between the moment the old password is removed and the moment the new version becomes AWSCURRENT (usually under a second): clients should back off and retry.',
            'Secrets Manager schedules the next rotation when this one is complete, counting the rotation interval from it.',
          ],
        },
        refusal: null,
        steps: [
          {
            // This id is what watch-first-rotation reads its versionId, requestedAt and functionArn from.
            id: 'rotate-secret',
            kind: OPERATION_STEP_KINDS.rotateNow,
            title: 'Rotate secret immediately',
            dependsOn: [],
            input: { secretArn: state.arn, functionArn: fn },
          },
          {
            id: 'watch-rotation',
            kind: OPERATION_STEP_KINDS.watchRotation,
            title: 'Wait for the rotation to finish',
            dependsOn: ['rotate-secret'],
            input: { secretArn: state.arn, rotateImmediately: true },
          },
        ],
      };
    }

    case 'turn-off': {
      if (!state.rotation.enabled) {
        return refuse('conflict', 'Rotation is already off for this secret: there is nothing to turn off.');
      }
      const warnings = [CANCEL_WARNING];
      if (stuck) {
        warnings.push(
          `Version ${stuck} has AWSPENDING from a rotation that did not finish. Turning rotation off leaves it there: clear the stuck rotation to remove it.`,
        );
      }
      const actions: OperationPreview['actions'] = [
        {
          description: 'Turn off automatic rotation (CancelRotateSecret); a rotation in progress is cancelled.',
          cli: `aws secretsmanager cancel-rotate-secret --secret-id ${id}`,
        },
      ];
      const steps: OperationStep[] = [
        { id: 'cancel-rotation', kind: OPERATION_STEP_KINDS.cancelRotation, title: 'Turn off rotation', dependsOn: [], input: { secretArn: state.arn } },
      ];
      const grant = context.masterGrant ?? null;
      const revoking = grant !== null && grant.neededBy.length === 0;
      if (grant && revoking) {
        const { secretArn, masterSecretArn, roleName, policyName } = grant;
        actions.push({
          description: `Remove the rotation function role ${roleName}'s permission to read the master secret ${masterSecretArn} (statement ${masterGrantSid(masterSecretArn)} of its inline policy ${policyName}${grant.removesPolicy ? ', its last statement: the policy is deleted' : '; the other statements stay'}): no other secret whose rotation is on uses that master secret with a function on this role.`,
          cli: revokeMasterCli(roleName, masterSecretArn, grant.removesPolicy),
        });
        steps.push({
          id: 'revoke-master-secret-access',
          kind: OPERATION_STEP_KINDS.revokeMasterSecretAccess,
          title: 'Remove the function\u2019s access to the master secret',
          dependsOn: ['cancel-rotation'],
          // Checked again when it runs: a secret that took the grant up since keeps it.
          input: { secretArn, masterSecretArn, roleName, policyName } satisfies MasterGrant,
        });
      } else if (grant) {
        warnings.push(
          `The function role ${grant.roleName} keeps its permission to read the master secret ${grant.masterSecretArn}: ${grant.neededBy.join(', ')} still rotate${grant.neededBy.length === 1 ? 's' : ''} with it.`,
        );
      }
      warnings.push(
        `The rotation function${state.rotation.lambdaArn ? ` ${functionName(state.rotation.lambdaArn)}` : ''} is not deleted, nor its ${revoking ? 'invoke permission' : 'permissions'} or network settings; rotation can be turned on again later (Edit rotation).`,
        'Until rotation is turned on again, the credentials stay as they are.',
      );
      return {
        preview: { ...base, allowed: true, reason: null, actions, labelMoves: [], warnings },
        refusal: null,
        steps,
      };
    }

    case 'roll-back': {
      if (!previous) return refuse('conflict', 'No version has AWSPREVIOUS: there is no previous version to roll back to.');
      if (!current) return refuse('conflict', 'No version has AWSCURRENT, so there is nothing to roll back from.');
      if (previous === current) return refuse('conflict', `AWSPREVIOUS and AWSCURRENT are both on version ${current}: rolling back would change nothing.`);

      const actions: OperationPreview['actions'] = [];
      const labelMoves: OperationPreview['labelMoves'] = [];
      const steps: OperationStep[] = [];
      // A finished rotation may leave AWSPENDING on the AWSCURRENT version (AWS allows it). Once that
      // version is no longer AWSCURRENT, the label would look like an unfinished rotation and block the next one.
      if (pending === current) {
        actions.push({
          description: `Remove AWSPENDING from version ${current}, where the last rotation left it: once ${current} is no longer AWSCURRENT, AWSPENDING there would block the next rotation.`,
          cli: removePendingCli(current),
        });
        labelMoves.push({ label: AWSPENDING, fromVersionId: current, toVersionId: null });
        steps.push({
          id: 'remove-pending-label',
          kind: OPERATION_STEP_KINDS.removePendingLabel,
          title: `Remove AWSPENDING from version ${current}`,
          dependsOn: [],
          input: { secretArn: state.arn, versionId: current, keepIfCurrent: false },
        });
      }
      actions.push({
        description: `Move AWSCURRENT from version ${current} to version ${previous}, the AWSPREVIOUS version (UpdateSecretVersionStage). Secrets Manager then moves AWSPREVIOUS to ${current} by itself.`,
        cli: `aws secretsmanager update-secret-version-stage --secret-id ${id} --version-stage AWSCURRENT --move-to-version-id ${previous} --remove-from-version-id ${current}`,
      });
      labelMoves.push(
        { label: AWSCURRENT, fromVersionId: current, toVersionId: previous },
        { label: AWSPREVIOUS, fromVersionId: previous, toVersionId: current },
      );
      steps.push({
        id: 'move-current-to-previous',
        kind: OPERATION_STEP_KINDS.moveCurrentToPrevious,
        title: `Move AWSCURRENT to version ${previous}`,
        dependsOn: steps.map((s) => s.id),
        input: { secretArn: state.arn, fromVersionId: current, toVersionId: previous },
      });

      const warnings = [
        `The database must accept the credentials of version ${previous}. With single-user rotation the last rotation changed the password in the database, so the previous password may no longer work: check it first, or the roll back breaks sign-in instead of restoring it.`,
        `The next rotation proceeds from the restored version ${previous}.`,
        `Applications that cached the secret keep the credentials of version ${current} until they read it again.`,
      ];
      if (state.rotation.enabled) {
        warnings.push(
          `Automatic rotation stays on${state.nextRotationDate ? `: the next scheduled rotation (${formatDateTime(state.nextRotationDate)})` : ': the next scheduled rotation'} replaces the restored version. Turn rotation off first if the previous credentials must stay.`,
        );
      }
      if (stuck) {
        warnings.push(
          `Version ${stuck} still has AWSPENDING from a rotation that did not finish; Secrets Manager may try it again, which would move AWSCURRENT once more. Clear the stuck rotation first.`,
        );
      }
      return { preview: { ...base, allowed: true, reason: null, actions, labelMoves, warnings }, refusal: null, steps };
    }

    case 'clear-stuck': {
      if (!stuck) {
        return refuse('conflict', 'No rotation is stuck: no version has AWSPENDING without AWSCURRENT, so there is nothing to clear.');
      }
      const version = state.versions.find((v) => v.versionId === stuck);
      const warnings = [
        'AWSPENDING on a version that is not AWSCURRENT is also how a rotation in progress looks. If the rotation function may still be running, check its log group and wait for it.',
        'If the failed rotation got past setSecret (see the function\u2019s log), the database may already use the pending version\u2019s password and the AWSCURRENT credentials may no longer work: check them before clearing.',
      ];
      if (version && version.stages.length === 1) {
        warnings.push(`Version ${stuck} keeps no staging label afterwards: Secrets Manager treats it as deprecated and may delete it.`);
      }
      warnings.push('The next rotation (scheduled, or Rotate secret immediately) starts again with a new version.');
      return {
        preview: {
          ...base,
          allowed: true,
          reason: null,
          actions: [
            {
              description: `Remove AWSPENDING from version ${stuck}, which the unfinished rotation left (UpdateSecretVersionStage), so Secrets Manager accepts the next rotation.`,
              cli: removePendingCli(stuck),
            },
          ],
          labelMoves: [{ label: AWSPENDING, fromVersionId: stuck, toVersionId: null }],
          warnings,
        },
        refusal: null,
        steps: [
          {
            id: 'remove-pending-label',
            kind: OPERATION_STEP_KINDS.removePendingLabel,
            title: `Remove AWSPENDING from version ${stuck}`,
            dependsOn: [],
            // If the rotation finished meanwhile (the version became AWSCURRENT), there is nothing to clear.
            input: { secretArn: state.arn, versionId: stuck, keepIfCurrent: true },
          },
        ],
      };
    }
  }
};
