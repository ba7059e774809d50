// Prints one closing line for the whole suite, from the unit (vitest) and
// the sync unit tests again against Apache, end-to-end (playwright: Chromium, then Firefox) JSON reports: "Tests: N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

interface Counts { passed: number; failed: number; skipped: number }
const total: Counts = { passed: 0, failed: 0, skipped: 0 };

for (const report of ['.test-summary/unit.json', '.test-summary/sync-apache.json']) {
  if (!existsSync(report)) continue;
  const unit = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  total.passed += unit.numPassedTests;
  total.failed += unit.numFailedTests;
  total.skipped += unit.numPendingTests + unit.numTodoTests;
}
for (const report of ['.test-summary/e2e.json', '.test-summary/e2e-scale.json', '.test-summary/firefox.json']) {
  if (!existsSync(report)) continue;
  const e2e = JSON.parse(readFileSync(report, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  total.passed += e2e.stats.expected + e2e.stats.flaky;
  total.failed += e2e.stats.unexpected;
  total.skipped += e2e.stats.skipped;
}
console.log(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
