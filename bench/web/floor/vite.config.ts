import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built by bench/web.bench.ts with the same Vite as the console (outDir given there).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  logLevel: 'warn',
  build: { manifest: true, emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
