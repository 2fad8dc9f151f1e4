import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: 'rotation', include: ['test/**/*.test.ts'] } });
