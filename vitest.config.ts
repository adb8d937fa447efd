// One Vitest run for the whole monorepo. Workspace packages resolve to their TypeScript sources
// through the "@kequn/source" export condition, so tests never depend on a stale build.
import { defineConfig } from 'vitest/config';
import { componentsBrowserProject } from './packages/components/vitest.browser.js';

export default defineConfig({
  resolve: { conditions: ['@kequn/source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['@kequn/source', 'module', 'node', 'development|production'] } },
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'packages/*/test/**/*.test.ts',
            'plugins/*/test/**/*.test.ts',
            'playground/test/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/*.browser.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      // *.browser.test.ts in real Chromium (packages/components/vitest.browser.ts).
      componentsBrowserProject,
    ],
  },
});
