/**
 * moto 5.2.1 is not thread-safe under concurrent writes: every call that names a secret looks
 * it up by iterating the dict of secrets, and answers 500 ("dictionary changed size during
 * iteration") when a concurrent CreateSecret adds one meanwhile. The lookup runs before anything
 * is written, so trying again is safe (a create that did land answers ResourceExistsException).
 */
export const again = async (call: () => Promise<unknown>) => {
  for (let attempt = 1; ; attempt++) {
    try {
      await call();
      return;
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'ResourceExistsException') return;
      if ((e.$metadata?.httpStatusCode ?? 0) < 500 || attempt >= 30) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(1000, 10 * 2 ** attempt)));
    }
  }
};
