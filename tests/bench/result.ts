/** One line of bench-results.json. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same-run baseline this value is compared with, when there is one. */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
}

/** A bench area: runs its measurements and returns their results. */
export type BenchArea = () => Promise<BenchResult[]>;

export function withRatio(name: string, value: number, baseline: number, unit = 'ms'): BenchResult {
  return { name, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline, 3) };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Median and percentiles of a sample. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

/** Peak heap growth while fn runs, sampled; needs node --expose-gc for a clean start. */
export async function measurePeakHeap<T>(fn: () => Promise<T>): Promise<{ result: T; peakBytes: number; ms: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  const t0 = performance.now();
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { result, peakBytes: peak - start, ms: performance.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Node flags for a bench child process (the scale sizes, the peers): room
 * for a 50,000-article library held by fake-indexeddb in the heap, and a
 * young generation large enough that collections do not dominate.
 */
export const CHILD_NODE = ['--expose-gc', '--max-old-space-size=10000', '--max-semi-space-size=32', '--import', 'tsx'];

/** The repository root, where a child's `--import tsx` resolves. */
export const REPO_ROOT = new URL('../..', import.meta.url).pathname;
