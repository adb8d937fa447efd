import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '.kequn/**',
      'docs/.vitepress/cache/**',
      'docs/.samples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Plugins are written the way a bank's own plugin is: against public entry points only.
    files: ['plugins/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@kequn/*/src/*', '@kequn/*/dist/*', '@kequn/core/*'],
              message: 'Import the package entry point (public API) only.',
            },
            {
              group: ['../../packages/*', '../../../packages/*', '**/packages/core/**'],
              message: 'Plugins use @kequn/core, never kernel source files.',
            },
          ],
        },
      ],
    },
  },
);
