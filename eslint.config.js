// One lint config for the whole workspace. Besides the usual TypeScript rules it
// enforces the import boundaries of DESIGN.md, so a wrong import fails `pnpm lint`.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const awsSdk = { group: ['@aws-sdk/*', '@smithy/*'], message: 'Only apps/api/src/platform/aws* and *.aws.ts talk to AWS.' };
const express = { group: ['express', 'express/*'], message: 'Pure packages import no Express.' };
const react = { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'Pure packages import no React.' };
const apiApp = { group: ['@rotation-console/api', '@rotation-console/api/*', '**/apps/api/**'], message: 'The web app never imports the API.' };
const anyApp = { group: ['@rotation-console/api', '@rotation-console/web', '**/apps/**'], message: 'Packages import nothing from apps/.' };
const harness = {
  group: ['@rotation-console/harness', '@rotation-console/harness/*', '**/packages/harness/**'],
  message: 'The test harness is never part of the product.',
};
const rotationPkg = { group: ['@rotation-console/rotation', '@rotation-console/rotation/*'], message: 'contracts imports no other workspace package.' };

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

// The web app's layers (bulletproof-react): app/ may import features; a feature imports lib/ and
// components/ but no other feature and not app/; lib/ and components/ import neither. What two features
// share moves down to lib/ (an endpoint both read: lib/api/) or components/. Every folder under
// features/ is a feature, so a new one is covered as it is added. Relative imports only (the web app
// has no path aliases); dynamic import() is not checked by no-restricted-imports.
const webFeatures = readdirSync(new URL('./apps/web/src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const otherFeatures = (feature) => ({
  // `../../secrets/api/x.ts` from features/<f>/<folder>/, `../secrets/…` from features/<f>/, or through features/.
  regex: `^(\\.\\./)+(features/)?(${webFeatures.filter((f) => f !== feature).join('|')})(/|$)`,
  message: `Features never import each other (DESIGN.md): move what ${feature} shares to src/lib/ or src/components/.`,
});
const webApp = { regex: '^(\\.\\./)+app/', message: 'Only src/app/ wires the features together; nothing imports it.' };
const webFeature = { group: ['**/features/**'], message: 'Shared code (lib/, components/) imports no feature.' };

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
    rules: restrict(apiApp, awsSdk, express, harness),
  },
  ...webFeatures.map((feature) => ({
    files: [`apps/web/src/features/${feature}/**/*.{ts,tsx}`],
    rules: restrict(apiApp, awsSdk, express, harness, otherFeatures(feature), webApp),
  })),
  {
    files: ['apps/web/src/lib/**/*.{ts,tsx}', 'apps/web/src/components/**/*.{ts,tsx}'],
    rules: restrict(apiApp, awsSdk, express, harness, webFeature, webApp),
  },
  {
    files: ['packages/contracts/**/*.ts'],
    rules: restrict(awsSdk, express, react, anyApp, harness, rotationPkg),
  },
  {
    files: ['packages/rotation/**/*.ts'],
    rules: restrict(awsSdk, express, react, anyApp, harness),
  },
  {
    files: ['packages/rotation-functions/**/*.ts'],
    rules: restrict(anyApp, express, react, harness),
  },
  {
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/platform/aws*', 'apps/api/src/**/*.aws.ts'],
    rules: restrict(awsSdk, react, harness),
  },
  {
    files: ['apps/api/src/platform/aws*', 'apps/api/src/**/*.aws.ts'],
    rules: restrict(react, harness),
  },
);
