// Lint for the whole workspace (`npx -y pnpm@9.15.9 lint`, also a step of `test`).
// Formatting is Prettier's job (`format:check`); this file checks code and the module boundaries
// of STYLE.md: no module imports app.ts or another module's repo, no web feature imports another
// feature, no import cycles.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

const WEB_FEATURES = ['admin', 'auth', 'booking', 'checkout', 'events', 'orders', 'seatmap', 'waiting-room'];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.run/**', 'apps/web/src/routeTree.gen.ts', '**/coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['apps/*/tsconfig.json', 'packages/*/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
    },
  },
  {
    files: ['apps/api/src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/app.js', '**/app'], message: 'Modules get their dependencies from platform/ types and their factory; never import app.ts.' },
            { regex: '^\\.\\./[^/]+/.*\\.repo(\\.js)?$', message: "Another module's tables are not yours: call its service or exported port." },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: WEB_FEATURES.map((f) => ({
            target: `./apps/web/src/features/${f}`,
            from: './apps/web/src/features',
            except: [`./${f}`],
            message: 'A web feature never imports another feature: compose them in routes/.',
          })),
        },
      ],
    },
  },
  prettier,
);
