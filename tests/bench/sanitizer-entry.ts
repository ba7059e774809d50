// Runs inside Chromium (bundled by sanitizer.ts): DOMPurify and the
// browser's Sanitizer API on the same long article and the same hostile vectors.
import { createSanitizer } from '../../lib/html/sanitize';
import { createNativeSanitizer } from '../../lib/html/sanitize-native';
import { dangers, HOSTILE_VECTORS } from './sanitizer-vectors';

function runSanitizerBench(html: string, runs: number) {
  const purify = createSanitizer(window, { native: false });
  const native = createNativeSanitizer(window);
  const base = 'https://medium.com/ops/long-guide';
  const purifyMs: number[] = [];
  const nativeMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always gets the warmer caches.
    const order = i % 2 ? ['n', 'p'] : ['p', 'n'];
    for (const which of order) {
      const t0 = performance.now();
      if (which === 'p') purify(html, base);
      else native?.(html, base);
      (which === 'p' ? purifyMs : nativeMs).push(performance.now() - t0);
    }
  }
  const vectors = HOSTILE_VECTORS.map((v) => ({
    html: v,
    purify: dangers(purify(v, base), document),
    native: native ? dangers(native(v, base), document) : ['unsupported'],
  }));
  const sample = { purify: purify(html, base).length, native: native?.(html, base).length ?? 0 };
  // What differs between the two outputs: counts of each element and attribute.
  const census = (out: string) => {
    const root = document.createElement('div');
    root.innerHTML = out;
    const counts: Record<string, number> = {};
    for (const el of root.querySelectorAll('*')) {
      counts[el.localName] = (counts[el.localName] ?? 0) + 1;
      for (const a of el.attributes) counts[`${el.localName}[${a.name}]`] = (counts[`${el.localName}[${a.name}]`] ?? 0) + 1;
    }
    return counts;
  };
  // The long article plus code blocks with language classes (as capture hands them over).
  const withCode = `${html}<pre class="hl language-yaml" id="x"><code class="language-yaml" style="color:red">a: 1</code></pre>`;
  const a = census(purify(withCode, base));
  const b = native ? census(native(withCode, base)) : {};
  const differences = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k] ?? 0} vs ${b[k] ?? 0}`);
  return { supported: Boolean(native), purifyMs, nativeMs, vectors, sample, differences };
}

Object.assign(globalThis, { runSanitizerBench });
