import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // The domain core stays pure: no database, server or CLI imports.
      'no-restricted-imports': 'off',
    },
  },
  {
    // The web app: hooks called unconditionally and with every dependency they read.
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // Arrows point one way (STYLE.md, "Seams to keep clean"): domain and shared at the bottom,
  // then db, then modules, then the server that assembles them; the web app sits beside the
  // server and takes only shared code, pure domain code and types of the API's schemas.
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/db/**',
                '**/server/**',
                '**/modules/**',
                '**/cli/**',
                'kysely',
                'fastify',
              ],
              message: 'src/domain is pure: no database, server, module or CLI imports.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/db/**',
                '**/server/**',
                '**/modules/**',
                '**/cli/**',
                'kysely',
                'fastify',
              ],
              message:
                'src/shared is shared with the web app: no database, server, module or CLI imports.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/modules/**', '**/cli/**'],
              message:
                'src/db sits below the modules and the server: import only domain and shared code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/modules/**/*.ts'],
    ignores: [
      'src/modules/**/*.test.ts',
      'src/modules/**/*.factories.ts',
      'src/modules/**/*.fixtures.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/*.repository.js', '../*/*.repository'],
              message:
                "A module never reads another module's repository: import what it exports from its service (export { findX } from './x.repository.js' there).",
            },
            {
              group: ['**/server/*', '!**/server/types.js', '!**/server/access.js'],
              message:
                "Modules take the app's type from src/server/types.js (and request helpers from access.js); app.ts registers the modules.",
            },
            { group: ['**/cli/**'], message: 'The CLI calls modules, not the other way round.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/types.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/modules/**', './*', '!./types.js'],
              message:
                "types.ts imports no module, so routes can name the app's type without a cycle.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!shared/|domain/|modules/[^/]+/[^/]+\\.schema\\.js$)',
              message:
                'The web app imports only src/shared, pure src/domain code and (type-only) module schema files.',
            },
            {
              group: ['**/src/modules/*/*.schema.js'],
              allowTypeImports: true,
              message:
                'Import module schemas as types only (import type), to derive API types with Static<>.',
            },
          ],
        },
      ],
    },
  },
);
