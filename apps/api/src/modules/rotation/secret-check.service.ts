import type { RotationStrategy, SecretCheck } from '@rotation-console/contracts';
import { checkSecretFormat, compareWithMaster } from '@rotation-console/rotation';
import type { DiscoveryGateway } from './discovery.aws.ts';

/**
 * Reads the SecretString on the server and checks it against what the rotation
 * function expects. The value stays in this function: the answer holds field names
 * and verdicts only.
 */
export const createSecretCheckService = ({ discovery }: { discovery: DiscoveryGateway }) => ({
  async check(
    secretId: string,
    strategy: RotationStrategy,
    masterSecretId?: string,
  ): Promise<SecretCheck & { secretArn: string; masterSecretArn: string | null; described: Awaited<ReturnType<DiscoveryGateway['secret']>> }> {
    const [secret, master] = await Promise.all([discovery.secret(secretId), masterSecretId ? discovery.secret(masterSecretId) : Promise.resolve(null)]);
    const [value, masterValue] = await Promise.all([discovery.secretString(secret.arn), master ? discovery.secretString(master.arn) : Promise.resolve(null)]);

    const own = checkSecretFormat(secret.name, value, { strategy, role: 'secret', masterSecretArn: master?.arn ?? null });
    if (strategy === 'alternating-users' && !master) {
      own.check.problems.push('Multi-user rotation needs a master secret: choose the secret whose user can change this user\u2019s password.');
      own.check.ok = false;
    }
    const masterResult = master ? checkSecretFormat(master.name, masterValue, { strategy, role: 'master' }) : null;

    if (own.parsed && masterResult?.parsed) {
      const problems = compareWithMaster(own.parsed, masterResult.parsed);
      if (problems.length) {
        masterResult.check.problems.push(...problems);
        masterResult.check.ok = false;
      }
    }
    return {
      ok: own.check.ok && (masterResult?.check.ok ?? true),
      secret: own.check,
      masterSecret: masterResult?.check ?? null,
      secretArn: secret.arn,
      masterSecretArn: master?.arn ?? null,
      described: secret,
    };
  },
});
export type SecretCheckService = ReturnType<typeof createSecretCheckService>;
