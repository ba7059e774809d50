// capture.ratio_to_readability: the whole capture pipeline (clone, lazy
// images, code blocks, noise, metadata, Readability, sanitize, text) on a
// long article, against a bare `new Readability(doc).parse()` of the same
// page in the same run. Both sides clone the page, since Readability consumes
// the document it is given and a clipper must not wreck the live page. The
// two alternate which runs first, so neither always gets the warmer caches,
// and the figure is the median of the pairs' ratios (with their spread): a
// load swing on this shared machine moves both halves of a pair alike.
// Measured in Chromium, where capture really runs (the page's own DOM); the
// same pair under jsdom is reported too, since jsdom's DOM is much slower at
// cloning and parsing than a browser's.
import { Readability } from '@mozilla/readability';
import { build } from 'esbuild';
import { JSDOM } from 'jsdom';
import { chromium } from 'playwright-core';
import { captureDocument } from '../../lib/capture/capture';
import { createSanitizer } from '../../lib/html/sanitize';
import { findChromium } from '../e2e/harness/chromium';
import { percentile, round, type BenchArea, type BenchResult } from './result';

const SECTIONS = 60;
const RUNS = 21;
const URL_ = 'https://medium.com/ops/long-guide-0123456789ab?source=rss';

/** A long Medium-style article: prose, <br> code blocks, lazy images, tables, and page furniture. */
export function longArticle(sections = SECTIONS): string {
  const parts: string[] = [];
  for (let s = 0; s < sections; s++) {
    parts.push(`<h2>Part ${s + 1}: rolling out change ${s + 1} safely</h2>`);
    for (let p = 0; p < 4; p++) {
      parts.push(
        `<p class="pw-post-body-paragraph">Step ${s}.${p}: the controller compares the desired state with what the cluster reports, and <strong>only</strong> acts on the difference. <a href="https://kubernetes.io/docs/concepts/?utm_source=x">The docs</a> describe the loop; here we watch it under load, with <code>kubectl get events -w</code> in a second terminal and a dashboard open in a third.</p>`,
      );
    }
    parts.push(`<pre class="hl"><span data-code-block-lang="yaml">apiVersion: apps/v1<br>kind: Deployment<br>metadata:<br>  name: web-${s}<br>spec:<br>  replicas: ${s + 2}<br><br>  strategy:<br>    rollingUpdate:<br>      maxSurge: 1<br>      maxUnavailable: 0</span></pre>`);
    parts.push(`<figure><picture><source srcset="https://miro.medium.com/v2/resize:fit:640/${s}.png 640w, https://miro.medium.com/v2/resize:fit:1400/${s}.png 1400w"><img alt="Figure ${s}" loading="lazy" width="700" height="400"></picture><figcaption>Figure ${s + 1}: events during the rollout.</figcaption></figure>`);
    if (s % 5 === 0) parts.push(`<table><tr><th>Setting</th><th>Value</th></tr><tr><td>maxSurge</td><td>1</td></tr><tr><td>maxUnavailable</td><td>0</td></tr></table>`);
  }
  return `<!doctype html><html lang="en"><head><title>A long guide to Kubernetes rollouts | Medium</title>
<link rel="canonical" href="https://medium.com/ops/long-guide-0123456789ab"><meta property="og:title" content="A long guide to Kubernetes rollouts">
<meta name="author" content="Bench Writer"><script type="application/ld+json">{"@type":"BlogPosting","headline":"A long guide to Kubernetes rollouts","author":{"name":"Bench Writer"}}</script></head>
<body><nav><a href="/">Medium</a> <a href="/m/signin">Sign in</a></nav><article><h1>A long guide to Kubernetes rollouts</h1>${parts.join('\n')}</article>
<section><h2>More from Bench Writer</h2>${'<div><a href="/x">Another post</a><p>Teaser text.</p></div>'.repeat(10)}</section><footer>Footer</footer></body></html>`;
}

const median = (xs: number[]) => percentile(xs, 50);

/** Timings of capture and bare Readability, pair by pair (each pair run back to back). */
interface Pairs {
  full: number[];
  bare: number[];
}

async function inChromium(html: string): Promise<Pairs & { words: number; wall: Pairs }> {
  const bundle = await build({ entryPoints: [new URL('./capture-page.ts', import.meta.url).pathname], bundle: true, format: 'iife', write: false, target: 'es2022', logLevel: 'silent' });
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    // Only the article itself; images and everything else never leave the machine.
    await page.route('**/*', (route) => (route.request().resourceType() === 'document' ? route.fulfill({ body: html, contentType: 'text/html' }) : route.abort()));
    await page.goto(URL_);
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    type Bench = { capture(): { ms: number }; bare(): number; words(): number };
    // The page's main-thread CPU time (DevTools Performance.getMetrics ThreadTime): on a loaded machine
    // wall time also counts the time other processes held the CPU; thread time counts only the work.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const threadMs = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return 1000 * (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN);
    };
    const timed = async (which: 'bare' | 'capture') => {
      const t0 = await threadMs();
      const r = await page.evaluate((w) => {
        const b = (globalThis as unknown as { offprintBench: Bench }).offprintBench;
        return w === 'bare' ? { ms: b.bare() } : b.capture();
      }, which);
      return { ...r, cpu: (await threadMs()) - t0 };
    };
    const run = async (bareFirst: boolean) => {
      if (bareFirst) {
        const bare = await timed('bare');
        return { bare, full: await timed('capture') };
      }
      const full = await timed('capture');
      return { bare: await timed('bare'), full };
    };
    await run(true); // warm-up
    await run(false);
    const bare: number[] = [];
    const full: number[] = [];
    const bareWall: number[] = [];
    const fullWall: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await run(i % 2 === 0);
      bare.push(r.bare.cpu);
      full.push(r.full.cpu);
      bareWall.push(r.bare.ms);
      fullWall.push(r.full.ms);
    }
    const words = await page.evaluate(() => (globalThis as unknown as { offprintBench: Bench }).offprintBench.words());
    return { full, bare, words, wall: { full: fullWall, bare: bareWall } };
  } finally {
    await browser.close();
  }
}

function inJsdom(html: string): Pairs {
  const dom = new JSDOM(html, { url: URL_ });
  const doc = dom.window.document;
  const bare: number[] = [];
  const full: number[] = [];
  const timeBare = () => {
    const t = performance.now();
    new Readability(doc.cloneNode(true) as Document).parse();
    bare.push(performance.now() - t);
  };
  const timeFull = () => {
    const t = performance.now();
    captureDocument(doc, createSanitizer(dom.window as unknown as Window));
    full.push(performance.now() - t);
  };
  captureDocument(doc, createSanitizer(dom.window as unknown as Window));
  new Readability(doc.cloneNode(true) as Document).parse();
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      timeBare();
      timeFull();
    } else {
      timeFull();
      timeBare();
    }
  }
  return { full, bare };
}

/**
 * The ratio of each pair (capture and bare Readability back to back, so a
 * swing of the machine's load hits both alike), their median and spread.
 */
function pairRatios(name: string, { full, bare }: Pairs): BenchResult[] {
  const ratios = full.map((f, i) => f / bare[i]!).sort((a, b) => a - b);
  const med = percentile(ratios, 50);
  return [
    { name, value: round(med, 3), unit: 'ratio', baseline: round(median(bare)), ratio: round(med, 3) },
    { name: `${name}.p25`, value: round(percentile(ratios, 25), 3), unit: 'ratio' },
    { name: `${name}.p75`, value: round(percentile(ratios, 75), 3), unit: 'ratio' },
    { name: `${name}.min`, value: round(ratios[0]!, 3), unit: 'ratio' },
    { name: `${name}.max`, value: round(ratios.at(-1)!, 3), unit: 'ratio' },
    { name: `${name.replace('ratio_to_readability', 'capture_ms')}`, value: round(median(full)), unit: 'ms' },
    { name: `${name.replace('ratio_to_readability', 'readability_ms')}`, value: round(median(bare)), unit: 'ms' },
  ];
}

const bench: BenchArea = async () => {
  const html = longArticle();
  const browser = await inChromium(html);
  const jsdom = inJsdom(html);
  const results: BenchResult[] = [
    // Main-thread CPU time in Chromium; the same pairs in wall time beside it.
    ...pairRatios('capture.ratio_to_readability', browser),
    ...pairRatios('capture.ratio_to_readability_wall', browser.wall),
    ...pairRatios('capture.ratio_to_readability_jsdom', jsdom),
    { name: 'capture.long_article_words', value: browser.words, unit: 'words' },
    { name: 'capture.long_article_bytes', value: html.length, unit: 'bytes' },
  ];
  return results;
};

export default bench;
