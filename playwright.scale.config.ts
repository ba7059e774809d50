import { defineConfig } from '@playwright/test';

// The large-profile end-to-end tests (tests/e2e/*.scale.spec.ts, issue 12: a
// 20,000-article library), run by `npm run test:e2e:scale` after the main
// suite (the same harness and built extension, .output/chrome-mv3). One at a
// time: each seeds a large profile and has the extension build its index.
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.scale.spec.ts',
  testIgnore: 'firefox/**',
  outputDir: 'test-results-scale',
  timeout: 900_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: '.test-summary/e2e-scale.json' }]],
  use: { trace: 'retain-on-failure' },
});
