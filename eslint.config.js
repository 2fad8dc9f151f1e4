// One lint config for the whole workspace. Besides the usual TypeScript rules it
// enforces the import boundaries of DESIGN.md, so a wrong import fails `pnpm lint`.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const awsSdk = { group: ['@aws-sdk/*', '@smithy/*'], message: 'Only apps/api/src/platform/aws* and *.aws.ts talk to AWS.' };
const express = { group: ['express', 'express/*'], message: 'Pure packages import no Express.' };
const react = { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'Pure packages import no React.' };
const apiApp = { group: ['@rotation-console/api', '@rotation-console/api/*', '**/apps/api/**'], message: 'The web app never imports the API.' };
const anyApp = { group: ['@rotation-console/api', '@rotation-console/web', '**/apps/**'], message: 'Packages import nothing from apps/.' };
const rotationPkg = { group: ['@rotation-console/rotation', '@rotation-console/rotation/*'], message: 'contracts imports no other workspace package.' };

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', '.tools/**', '**/playwright-report/**', '**/test-results/**', '.reports/**', '.data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(apiApp, awsSdk, express),
  },
  {
    files: ['packages/contracts/**/*.ts'],
    rules: restrict(awsSdk, express, react, anyApp, rotationPkg),
  },
  {
    files: ['packages/rotation/**/*.ts'],
    rules: restrict(awsSdk, express, react, anyApp),
  },
  {
    files: ['packages/rotation-functions/**/*.ts'],
    rules: restrict(anyApp, express, react),
  },
  {
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/platform/aws*', 'apps/api/src/**/*.aws.ts'],
    rules: restrict(awsSdk, react),
  },
);
