import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': {
        target: process.env.API_URL ?? 'http://127.0.0.1:3000',
        changeOrigin: true,
      },
    },
  },
  preview: {
    proxy: {
      '/api': {
        target: process.env.API_URL ?? 'http://127.0.0.1:3000',
        changeOrigin: true,
      },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Cloudscape's global styles embed their fonts, and the app layout is large: the first chunk is big by nature.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Libraries that change rarely get their own long-cached chunks; pages stay one lazy chunk each.
        codeSplitting: {
          groups: [
            { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
            { name: 'vendor-query', test: /node_modules[\\/]@tanstack[\\/]/, priority: 20 },
            // zod alone: the contracts' schemas go with the pages that parse with them, and their plain
            // values (values.ts) with the landing page, which loads no zod (src/zod-config.ts sets zod's
            // configuration before zod loads).
            { name: 'vendor-zod', test: /node_modules[\\/]zod[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
});
