// `npm run bench -- sanitizer`: the browser's own HTML Sanitizer API against
// DOMPurify, in Chromium, on the capture bench's long article, and the same
// hostile vectors through both (issue 12). The capture switches to the
// browser's API only if it is faster and fails no vector DOMPurify passes.
import { build } from 'esbuild';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { findChromium } from '../e2e/harness/chromium';
import { longArticle } from './capture';
import { percentile, round, withRatio, type BenchArea, type BenchResult } from './result';

interface Figures {
  supported: boolean;
  purifyMs: number[];
  nativeMs: number[];
  vectors: { html: string; purify: string[]; native: string[] }[];
  sample: { purify: number; native: number };
  differences: string[];
}

const bench: BenchArea = async () => {
  const bundle = await build({ entryPoints: [new URL('./sanitizer-entry.ts', import.meta.url).pathname], bundle: true, write: false, format: 'iife', target: 'chrome120', logLevel: 'silent' });
  const script = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sanitizer bench</title><script src="/bench.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const f = await page.evaluate(
      ([html, runs]) => (globalThis as unknown as { runSanitizerBench: (h: string, r: number) => Figures }).runSanitizerBench(html, runs),
      [longArticle(), 21] as const,
    );
    const version = browser.version();
    const failedNative = f.vectors.filter((v) => v.purify.length === 0 && v.native.length > 0);
    const failedPurify = f.vectors.filter((v) => v.purify.length > 0);
    for (const v of failedNative) console.log(`  native fails: ${v.html}  →  ${v.native.join(', ')}`);
    for (const v of failedPurify) console.log(`  DOMPurify fails: ${v.html}  →  ${v.purify.join(', ')}`);
    if (f.differences.length) console.log(`  output differs (DOMPurify vs native): ${f.differences.join('; ')}`);
    console.log(`  Chromium ${version}: Sanitizer API ${f.supported ? 'present' : 'absent'}; output ${f.sample.native} vs ${f.sample.purify} chars`);
    const p = percentile(f.purifyMs, 50);
    const n = percentile(f.nativeMs, 50);
    const results: BenchResult[] = [
      { name: 'capture.sanitizer_dompurify_ms', value: round(p), unit: 'ms' },
      { name: 'capture.sanitizer_native_vectors', value: f.vectors.length, unit: 'vectors' },
      { name: 'capture.sanitizer_dompurify_vectors_failed', value: failedPurify.length, unit: 'vectors' },
      { name: 'capture.sanitizer_native_vectors_failed', value: failedNative.length, unit: 'vectors' },
      { name: 'capture.sanitizer_output_differences', value: f.differences.length, unit: 'element/attribute counts' },
    ];
    if (f.supported) {
      results.push({ name: 'capture.sanitizer_native_ms', value: round(n), unit: 'ms' });
      results.push({ ...withRatio('capture.sanitizer_native.ratio_to_dompurify', n, p), value: round(n / p, 3), unit: 'ratio' });
    }
    return results;
  } finally {
    await browser.close();
    server.close();
  }
};

export default bench;
