import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'rotation-functions',
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    setupFiles: ['./test/support/setup-env.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
