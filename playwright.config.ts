import { defineConfig } from '@playwright/test';

// End-to-end tests load the built extension (.output/chrome-mv3) into
// Debian's Chromium; `npm run test:e2e` builds it first.
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // The Firefox suite has its own config (playwright.firefox.config.ts), the
  // large-profile tests too (playwright.scale.config.ts, `npm run test:e2e:scale`).
  testIgnore: ['firefox/**', '**/*.scale.spec.ts'],
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two cores here: two browsers at a time is the most that stays steady.
  workers: process.env.CI ? 2 : 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: '.test-summary/e2e.json' }]],
  use: { trace: 'retain-on-failure' },
});
