import { defineConfig } from 'vitest/config';

// Every package's own vitest config is a project of this one run.
export default defineConfig({
  test: {
    projects: ['{apps,packages}/*/vitest.config.ts'],
  },
});
