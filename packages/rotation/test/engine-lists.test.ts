import { ENGINE_FAMILIES as CHECKED_ENGINES, engineFamily, sarApplicationId } from '@rotation-console/rotation';
import { ENGINE_FAMILIES as ROTATED_ENGINES, readRotationTemplate, ROTATION_ENGINES } from '@rotation-console/rotation-functions';
import { describe, expect, it } from 'vitest';

// packages/rotation (the console's secret check and plan) and packages/rotation-functions (the
// deployable functions, which import no other package) each hold the engine list. If they drift,
// the console passes a secret its function then refuses, or refuses one the function would rotate.
describe('The engine lists of the console and of the rotation functions', () => {
  it('When the console checks a secret, then it accepts exactly the engines the bundled functions rotate, in the same driver family', () => {
    // Arrange / Act
    const checked = Object.entries(CHECKED_ENGINES).sort();
    const rotated = Object.entries(ROTATED_ENGINES).sort();

    // Assert
    expect(checked).toEqual(rotated);
    for (const [engine, family] of rotated) expect(engineFamily(engine)).toBe(family);
  });

  it('When the console deploys the bundled template, then its engine parameter allows exactly those engines', async () => {
    // Arrange
    const template = await readRotationTemplate();

    // Act
    const allowed = /\n {2}engine:\n(?: {4}.*\n)*? {4}AllowedValues: \[([^\]]*)\]/
      .exec(template)?.[1]
      ?.split(',')
      .map((v) => v.trim());

    // Assert
    expect([...ROTATION_ENGINES].sort()).toEqual(Object.keys(ROTATED_ENGINES).sort());
    expect(allowed?.sort()).toEqual(Object.keys(ROTATED_ENGINES).sort());
  });

  it("When the console deploys AWS's templates instead, then every one of those engines has one", () => {
    for (const engine of Object.keys(CHECKED_ENGINES)) expect(sarApplicationId(engine, 'single-user'), engine).not.toBeNull();
    expect(sarApplicationId('mariadb', 'alternating-users')).toContain('SecretsManagerRDSMariaDBRotationMultiUser');
    expect(sarApplicationId('aurora-mysql', 'single-user')).toContain('SecretsManagerRDSMySQLRotationSingleUser');
  });
});
