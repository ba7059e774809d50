// highlights.paint200_ms: the work the reader does to show 200 highlights on
// the bench's long (12,000-word) article in Chromium (read the body's text,
// anchor each highlight, register them with the CSS Custom Highlight API and
// lay out), and highlights.paint200.ratio_to_plain: rendering the article up
// to its next frame with them against without them, in turns in one page. highlights.reanchor200_ms:
// re-anchoring the 200 after the article's text changed (a new opening
// paragraph, edited sentences, a removed section), as a full text replacing a
// preview does.
import { build } from 'esbuild';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { findChromium } from '../e2e/harness/chromium';
import { longArticle } from './capture';
import type { HighlightFigures } from './highlights-entry';
import { percentile, round, type BenchArea } from './result';

const ROUNDS = 31;

/** The long article's body, as the reader shows it (the <article> element's content). */
function articleBody(): string {
  const html = longArticle();
  // Images are left out: the reader shows stored copies, and network errors would only add noise.
  return html.slice(html.indexOf('<article>') + '<article>'.length, html.indexOf('</article>')).replace(/<source[^>]*>/g, '');
}

/** The same body after an edit: a new first paragraph, some sentences reworded, one section gone. */
function changedBody(body: string): string {
  let n = 0;
  const edited = body.replace(/the controller compares/g, (m) => (++n % 6 === 0 ? 'the controller now compares' : m));
  const parts = edited.split('<h2>');
  parts.splice(30, 1);
  return `<p>Updated for the new release: read this first.</p>${parts.join('<h2>')}`;
}

const bench: BenchArea = async () => {
  const bundle = await build({ entryPoints: [new URL('./highlights-entry.ts', import.meta.url).pathname], bundle: true, write: false, format: 'iife', target: 'chrome120', logLevel: 'silent' });
  const script = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><title>highlights bench</title><style>body{max-width:68ch;font:19px/1.65 serif}</style><script src="/bench.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const body = articleBody();
    const f = await page.evaluate(
      ([html, changed, rounds]) => (globalThis as unknown as { runHighlightBench: (a: string, b: string, r: number) => Promise<HighlightFigures> }).runHighlightBench(html, changed, rounds),
      [body, changedBody(body), ROUNDS] as const,
    );
    const median = (xs: number[]) => percentile(xs, 50);
    const pairedRatio = round(median(f.withMs.map((w, i) => w / f.plainMs[i]!)), 3);
    return [
      { name: 'highlights.paint200_ms', value: round(median(f.paintMs)), unit: 'ms' },
      // Each round's two runs sit side by side in time, so a loaded machine weighs on both: the
      // ratio is the median of the rounds' ratios, steadier than a ratio of medians.
      { name: 'highlights.paint200.ratio_to_plain', value: pairedRatio, unit: 'ratio', baseline: round(median(f.plainMs)), ratio: pairedRatio },
      { name: 'highlights.reanchor200_ms', value: round(median(f.reanchorMs)), unit: 'ms' },
      { name: 'highlights.article_words', value: f.words, unit: 'words' },
      { name: 'highlights.placed', value: f.placed, unit: 'of 200' },
      { name: 'highlights.reanchored', value: f.reanchored, unit: 'of 200' },
    ];
  } finally {
    await browser.close();
    server.close();
  }
};

export default bench;
