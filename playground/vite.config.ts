// The playground app: served by Vite's dev server with the workspace packages resolved to their
// TypeScript sources (the "@kequn/source" condition), so edits to a kq-* element show at once.
// Start it through `pnpm start` (scripts/start.ts), which adds /playground.json.
import { defineConfig } from 'vite';

export default defineConfig({
  resolve: { conditions: ['@kequn/source', 'module', 'browser', 'development|production'] },
  optimizeDeps: {
    entries: ['index.html'],
    include: [
      '@kequn/components > lit',
      '@kequn/components > @lit/context',
      '@kequn/components > @lit-labs/virtualizer/virtualize.js',
      'zod',
    ],
  },
  server: { host: 'localhost' },
});
