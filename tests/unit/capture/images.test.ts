// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { bestFromSrcset, fixImages, isPlaceholder } from '../../../lib/capture/images';

function root(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}
const srcs = (el: Element) => [...el.querySelectorAll('img')].map((i) => i.getAttribute('src'));

describe('bestFromSrcset', () => {
  it('picks the widest candidate up to 2000px', () => {
    expect(bestFromSrcset('a.png 640w, b.png 1400w, c.png 2800w')).toBe('b.png');
    expect(bestFromSrcset('a.png 1x, b.png 2x')).toBe('b.png');
    expect(bestFromSrcset('huge.png 4000w')).toBe('huge.png');
    expect(bestFromSrcset('https://cdn.test/i.png?w=1,2 640w, https://cdn.test/j.png 900w')).toBe('https://cdn.test/j.png');
    expect(bestFromSrcset('')).toBeUndefined();
  });
  it('knows placeholders', () => {
    expect(isPlaceholder('data:image/gif;base64,R0lGOD')).toBe(true);
    expect(isPlaceholder('/img/placeholder.svg')).toBe(true);
    expect(isPlaceholder(null)).toBe(true);
    expect(isPlaceholder('https://cdn.test/photo.jpg')).toBe(false);
  });
});

describe('fixImages', () => {
  const base = 'https://blog.test/posts/one';

  it('resolves data-src over a placeholder and makes it absolute', () => {
    const el = root('<img src="data:image/gif;base64,AAAA" data-src="../img/a.png" alt="a">');
    fixImages(el, base);
    expect(srcs(el)).toEqual(['https://blog.test/img/a.png']);
    expect(el.querySelector('img')!.hasAttribute('data-src')).toBe(false);
  });

  it('keeps a real src and drops srcset', () => {
    const el = root('<img src="/a.png" srcset="/a.png 1x, /a2.png 2x">');
    fixImages(el, base);
    expect(el.innerHTML).toBe('<img src="https://blog.test/a.png">');
  });

  it('takes the best srcset candidate of a src-less image, then a <picture> source, and unwraps the picture', () => {
    const el = root(
      '<img srcset="/s-640.png 640w, /s-1400.png 1400w"><picture><source type="image/webp" srcset="/p.webp 1400w"><source srcset="/p-700.jpg 700w, /p-1400.jpg 1400w"><img alt="p" loading="lazy"></picture>',
    );
    fixImages(el, base);
    expect(srcs(el)).toEqual(['https://blog.test/s-1400.png', 'https://blog.test/p-1400.jpg']);
    expect(el.querySelector('picture, source')).toBeNull();
  });

  it('uses the URL the browser loaded when nothing else names one', () => {
    const el = root('<img class="lazy">');
    const img = el.querySelector('img')!;
    fixImages(el, base, new Map([[img, 'https://cdn.test/loaded.jpg']]));
    expect(srcs(el)).toEqual(['https://cdn.test/loaded.jpg']);
  });

  it('fills a placeholder from its <noscript> fallback, parsed or raw text', () => {
    const parsed = root('<img src="/img/blank.gif"><noscript><img src="/real.png" alt="real"></noscript>');
    fixImages(parsed, base);
    expect(srcs(parsed)).toEqual(['https://blog.test/real.png']);
    expect(parsed.querySelector('noscript')).toBeNull();

    // With scripting on, a browser keeps <noscript> content as text.
    const raw = root('<figure><noscript></noscript></figure>');
    raw.querySelector('noscript')!.textContent = '<img src="https://cdn.test/raw.png" alt="raw">';
    fixImages(raw, base);
    expect(srcs(raw)).toEqual(['https://cdn.test/raw.png']);
  });

  it('drops images that have no URL at all', () => {
    const el = root('<p>x<img src="data:image/gif;base64,AAAA"></p>');
    fixImages(el, base);
    expect(el.innerHTML).toBe('<p>x</p>');
  });
});
