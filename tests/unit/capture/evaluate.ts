// Capture-quality checks in the style of Readability's test pages: each
// fixture page has an expected.json saying what a good clip keeps and drops.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/capture');

export interface Expected {
  url: string;
  kind: string;
  meta: Record<string, string | undefined>;
  keyText: string[];
  code: { lang?: string; text: string }[];
  images: string[];
  noise: string[];
  warning?: boolean;
  /** Markup that must not survive (hostile pages). */
  forbidden?: string[];
}

export interface Clip {
  kind?: string;
  html: string;
  text: string;
  warning?: string;
  [meta: string]: unknown;
}

export interface PageReport {
  page: string;
  meta: string;
  keyText: string;
  code: string;
  images: string;
  noise: string;
  failures: string[];
}

export function fixtureSlugs(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function loadFixture(slug: string): { source: string; expected: Expected } {
  return {
    source: readFileSync(join(FIXTURES, slug, 'source.html'), 'utf8'),
    expected: JSON.parse(readFileSync(join(FIXTURES, slug, 'expected.json'), 'utf8')) as Expected,
  };
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const ratio = (ok: number, all: number) => (all === 0 ? '–' : `${ok}/${all}`);

/** Compares a clip with what the fixture expects; lists every miss. */
export function evaluateClip(slug: string, expected: Expected, clip: Clip): PageReport {
  const failures: string[] = [];
  const body = new JSDOM(`<body>${clip.html}</body>`).window.document.body;
  const text = squash(clip.text);

  if (clip.kind !== undefined && clip.kind !== expected.kind) failures.push(`kind: ${clip.kind} ≠ ${expected.kind}`);
  let metaOk = 0;
  const metaKeys = Object.keys(expected.meta);
  for (const key of metaKeys) {
    const want = expected.meta[key];
    let got = clip[key];
    if (key.endsWith('At') && typeof got === 'number') got = new Date(got).toISOString();
    if (got === want) metaOk++;
    else failures.push(`meta ${key}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
  }
  const keyHits = expected.keyText.filter((k) => text.includes(squash(k)));
  for (const k of expected.keyText) if (!keyHits.includes(k)) failures.push(`missing text: ${k}`);

  const blocks = [...body.querySelectorAll('pre')].map((pre) => {
    const code = pre.querySelector('code');
    return { text: (code ?? pre).textContent ?? '', lang: /language-(\S+)/.exec(code?.className ?? pre.className)?.[1] };
  });
  let codeOk = 0;
  for (const want of expected.code) {
    const found = blocks.find((b) => b.text === want.text);
    if (!found) failures.push(`code not byte-exact: ${JSON.stringify(want.text.slice(0, 40))}…`);
    else if (want.lang && found.lang !== want.lang) failures.push(`code language ${found.lang} ≠ ${want.lang}`);
    else codeOk++;
  }
  if (blocks.length !== expected.code.length) failures.push(`code blocks: ${blocks.length} ≠ ${expected.code.length}`);

  const srcs = [...body.querySelectorAll('img')].map((i) => i.getAttribute('src'));
  const imgHits = expected.images.filter((u) => srcs.includes(u));
  for (const u of expected.images) if (!imgHits.includes(u)) failures.push(`missing image: ${u} (have ${srcs.join(', ')})`);

  const noiseKept = expected.noise.filter((n) => text.includes(squash(n)) || clip.html.includes(n));
  for (const n of noiseKept) failures.push(`noise kept: ${n}`);
  for (const bad of expected.forbidden ?? []) if (clip.html.toLowerCase().includes(bad.toLowerCase())) failures.push(`forbidden markup kept: ${bad}`);

  const warned = !!clip.warning;
  if (warned !== !!expected.warning) failures.push(`warning: ${warned ? 'shown' : 'missing'}`);

  return {
    page: slug,
    meta: ratio(metaOk, metaKeys.length),
    keyText: ratio(keyHits.length, expected.keyText.length),
    code: ratio(codeOk, expected.code.length),
    images: ratio(imgHits.length, expected.images.length),
    noise: expected.noise.length ? `${expected.noise.length - noiseKept.length}/${expected.noise.length} dropped` : '–',
    failures,
  };
}

export function formatReport(reports: PageReport[]): string {
  const rows = [['page', 'meta', 'key text', 'code (byte-exact)', 'images', 'noise', 'result'], ...reports.map((r) => [r.page, r.meta, r.keyText, r.code, r.images, r.noise, r.failures.length ? 'FAIL' : 'ok'])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
