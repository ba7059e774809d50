import { defineConfig } from '@playwright/test';

// The Firefox end-to-end suite: the built Firefox extension (.output/firefox-mv3)
// installed into Debian's Firefox ESR, driven by puppeteer-core over WebDriver
// BiDi (tests/e2e/firefox). `npm run test:firefox` builds it first.
export default defineConfig({
  testDir: 'tests/e2e/firefox',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results-firefox',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  // Two cores here: two browsers at a time is the most that stays steady.
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: '.test-summary/firefox.json' }], ['./tests/e2e/firefox/summary-reporter.ts']],
});
