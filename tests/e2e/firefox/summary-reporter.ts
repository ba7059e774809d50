import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Ends the Firefox suite's output with one line CI can read: "Firefox e2e: N passed, N failed, N skipped". */
export default class SummaryReporter implements Reporter {
  private readonly outcome = new Map<TestCase, 'passed' | 'failed' | 'skipped'>();

  onTestEnd(test: TestCase, result: TestResult): void {
    const o = test.outcome();
    this.outcome.set(test, o === 'skipped' ? 'skipped' : o === 'expected' || o === 'flaky' ? 'passed' : result.status === 'passed' ? 'passed' : 'failed');
  }

  onEnd(result: FullResult): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const o of this.outcome.values()) counts[o] += 1;
    if (result.status !== 'passed' && counts.failed === 0) counts.failed = 1; // a crash or timeout outside any test
    console.log(`Firefox e2e: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
