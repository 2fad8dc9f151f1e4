import { describe, expect, it } from 'vitest';
import { draftOperation, OPERATION_STEP_KINDS, type SecretState, type VersionState } from '../src/operation-preview.ts';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:rotate-prod';
const MASTER = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/master-AbCdEf';

const version = (versionId: string, ...stages: string[]): VersionState => ({ versionId, stages, createdDate: null });

const secret = (versions: VersionState[], rotation: Partial<SecretState['rotation']> = {}, extra: Partial<SecretState> = {}): SecretState => ({
  name: 'prod/app',
  arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app-AbCdEf',
  owningService: null,
  tags: [],
  rotation: { enabled: true, lambdaArn: FN, rules: null, ...rotation },
  nextRotationDate: null,
  versions,
  ...extra,
});

describe('Operation previews', () => {
  it('When a secret is managed by another service, then every operation is refused as input, naming the service', () => {
    // Arrange
    const state = secret([version('v1', 'AWSCURRENT')], {}, { owningService: 'rds' });

    // Act
    const draft = draftOperation('rotate-now', state);

    // Assert
    expect(draft.refusal).toBe('input');
    expect(draft.preview.reason).toContain('managed by RDS');
    expect(draft.steps).toEqual([]);
  });

  it('When a rotation did not finish, then rotate now is refused as a conflict and clear stuck removes AWSPENDING from that version only if it is still not current', () => {
    // Arrange
    const state = secret([version('v1', 'AWSCURRENT'), version('v2', 'AWSPENDING')]);

    // Act
    const rotate = draftOperation('rotate-now', state);
    const clear = draftOperation('clear-stuck', state);

    // Assert
    expect(rotate.refusal).toBe('conflict');
    expect(rotate.preview.reason).toContain('Version v2 has AWSPENDING but not AWSCURRENT');
    expect(clear.preview.labelMoves).toEqual([{ label: 'AWSPENDING', fromVersionId: 'v2', toVersionId: null }]);
    expect(clear.steps).toEqual([
      expect.objectContaining({ kind: OPERATION_STEP_KINDS.removePendingLabel, input: expect.objectContaining({ versionId: 'v2', keepIfCurrent: true }) }),
    ]);
  });

  it('When the last rotation left AWSPENDING on the current version, then roll back first removes it, then moves AWSCURRENT to the previous version', () => {
    // Arrange
    const state = secret([version('v2', 'AWSCURRENT', 'AWSPENDING'), version('v1', 'AWSPREVIOUS')]);

    // Act
    const draft = draftOperation('roll-back', state);

    // Assert
    expect(draft.preview.labelMoves).toEqual([
      { label: 'AWSPENDING', fromVersionId: 'v2', toVersionId: null },
      { label: 'AWSCURRENT', fromVersionId: 'v2', toVersionId: 'v1' },
      { label: 'AWSPREVIOUS', fromVersionId: 'v1', toVersionId: 'v2' },
    ]);
    expect(draft.steps.map((s) => [s.kind, s.dependsOn])).toEqual([
      [OPERATION_STEP_KINDS.removePendingLabel, []],
      [OPERATION_STEP_KINDS.moveCurrentToPrevious, ['remove-pending-label']],
    ]);
  });

  it('When rotation is turned off and another secret still uses the master grant, then the grant is kept and the warning names that secret', () => {
    // Arrange
    const state = secret([version('v1', 'AWSCURRENT')]);
    const masterGrant = {
      secretArn: state.arn,
      masterSecretArn: MASTER,
      roleName: 'rotate-prod-role',
      policyName: 'master-access',
      neededBy: ['prod/other'],
      removesPolicy: false,
    };

    // Act
    const kept = draftOperation('turn-off', state, { masterGrant });
    const revoked = draftOperation('turn-off', state, { masterGrant: { ...masterGrant, neededBy: [] } });

    // Assert
    expect(kept.steps.map((s) => s.kind)).toEqual([OPERATION_STEP_KINDS.cancelRotation]);
    expect(kept.preview.warnings.join('\n')).toContain('prod/other still rotates with it');
    expect(revoked.steps.map((s) => s.kind)).toEqual([OPERATION_STEP_KINDS.cancelRotation, OPERATION_STEP_KINDS.revokeMasterSecretAccess]);
  });
});
