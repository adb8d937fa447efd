// The `browser` Vitest project: *.browser.test.ts in real Chromium (the system's Debian build, no
// browser download) through @vitest/browser-playwright. The root vitest.config.ts lists it next to
// the node project; it lives here so its dependencies resolve from this package.
import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';

export const chromiumPath = process.env['KEQUN_CHROMIUM'] ?? '/usr/bin/chromium';

export const componentsBrowserProject: TestProjectInlineConfiguration = {
  extends: true,
  // Pre-bundled up front so Vite does not discover them mid-run and reload the page.
  optimizeDeps: {
    include: [
      'lit',
      '@lit/context',
      '@lit-labs/virtualizer/virtualize.js',
      'axe-core',
      'react',
      'react-dom',
      'react-dom/client',
      'zod',
      '@kequn/client',
      // Only the renderer="echarts" tests import these; pre-bundled so that import is not a reload.
      'echarts/core',
      'echarts/charts',
      'echarts/components',
      'echarts/renderers',
    ],
  },
  test: {
    name: 'browser',
    include: ['packages/*/test/**/*.browser.test.ts'],
    globalSetup: ['packages/components/test/browser-setup.ts'],
    setupFiles: ['packages/components/test/browser-page-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      viewport: { width: 1280, height: 900 },
      provider: playwright({
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--no-sandbox',
            '--headless',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
};
