import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { rotateSecretPacer, type RequestPacer } from './targets/request-pacer.ts';

/** The SDK commands that count against the RotateSecret quota. */
const ROTATE_QUOTA_COMMANDS: ReadonlySet<string> = new Set(['RotateSecretCommand', 'CancelRotateSecretCommand']);

/** Where the SDK keeps send()'s options in a middleware's context (Smithy's SMITHY_CONTEXT_KEY). */
const SMITHY_CONTEXT_KEY = '__smithy_context';

/**
 * Makes every attempt of RotateSecret and CancelRotateSecret on this client wait its turn, the SDK's
 * own retries of a throttled call included (sent at once, they would crowd the very second that was
 * full): a middleware after the SDK's retry and signing. A caller that gives up (the workflow was
 * cancelled) passes its abortSignal to send(): it leaves the queue at once, takes no turn from the
 * calls behind it, and sends nothing.
 */
export const paceRotateQuota = (client: SecretsManagerClient, pacer: RequestPacer = rotateSecretPacer): SecretsManagerClient => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (ROTATE_QUOTA_COMMANDS.has(context.commandName ?? '')) {
        const sent = (context as { [SMITHY_CONTEXT_KEY]?: { abortSignal?: AbortSignal } })[SMITHY_CONTEXT_KEY];
        await pacer.wait(sent?.abortSignal);
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'rotateSecretQuota' },
  );
  return client;
};
