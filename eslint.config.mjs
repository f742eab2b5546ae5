// One flat config for every package: typescript-eslint strictTypeChecked, type-aware through the project service.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/test-results/**',
      // README examples the tests write and remove while lint may run beside them.
      '**/.readme-example-*/**',
      // The demo's blob directory, which its test creates and empties while lint may scan beside it.
      '**/demo-blobs/**',
      '**/bench-results/**',
      '**/*.config.ts',
      '**/*.config.mjs',
      'tsup.shared.ts',
      'vitest.shared.ts',
      // Consumer code for the packed packages: type-checked inside the fresh project it is copied to.
      'tools/release-check/test/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Async generators that yield without awaiting are how tests and stores build byte streams.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
);
