import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'api',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The files share one moto server and reset it: one file at a time.
    fileParallelism: false,
    // Longer than the 60 s a workflow test waits for its workflow (waitForWorkflow): on a busy machine the
    // wait ends first and names the step still running, instead of vitest cutting the test short.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
