import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { rotateSecretPacer, type RequestPacer } from './targets/request-pacer.ts';

/** The SDK commands that count against the RotateSecret quota. */
const ROTATE_QUOTA_COMMANDS: ReadonlySet<string> = new Set(['RotateSecretCommand', 'CancelRotateSecretCommand']);

/**
 * Makes every attempt of RotateSecret and CancelRotateSecret on this client wait its turn, the SDK's
 * own retries of a throttled call included (sent at once, they would crowd the very second that was
 * full): a middleware after the SDK's retry and signing. A caller that gives up (the workflow was
 * cancelled) passes its abortSignal to send(), so a call whose turn comes after that is not sent.
 */
export const paceRotateQuota = (client: SecretsManagerClient, pacer: RequestPacer = rotateSecretPacer): SecretsManagerClient => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (ROTATE_QUOTA_COMMANDS.has(context.commandName ?? '')) await pacer.wait();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'rotateSecretQuota' },
  );
  return client;
};
