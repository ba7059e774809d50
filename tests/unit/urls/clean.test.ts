import { describe, expect, it } from 'vitest';
import { cleanUrl, cleanUrlBySearchParams, isTrackingPixel } from '../../../lib/urls/clean';

describe('cleanUrl', () => {
  it.each([
    ['https://blog.devops.dev/a-post-ff73bba0f626?source=rss-f2bd4e72885------2', 'https://blog.devops.dev/a-post-ff73bba0f626'],
    ['https://x.test/p?utm_source=tw&utm_medium=s&id=7#frag', 'https://x.test/p?id=7'],
    ['https://x.test/p?fbclid=1&gclid=2', 'https://x.test/p'],
    ['/rel?source=x', 'https://base.test/rel'],
    ['https://x.test/p?', 'https://x.test/p'],
    ['https://x.test/p#frag', 'https://x.test/p'],
    ['HTTPS://X.test/a/../p', 'https://x.test/p'],
  ])('%s -> %s', (input, expected) => {
    expect(cleanUrl(input, 'https://base.test/')).toBe(expected);
  });

  it('leaves non-URLs alone', () => {
    expect(cleanUrl('not a url')).toBe('not a url');
  });

  it.each([
    ['https://x.test/p?a=1&&utm_source=x&b', 'https://x.test/p?a=1&b='],
    ['https://x.test/p?utm%5Fsource=x&a=1', 'https://x.test/p?a=1'],
    ['https://x.test/p?a=b%20c&utm_source=x', 'https://x.test/p?a=b+c'],
    ['https://x.test/p?a=b=c&source=x', 'https://x.test/p?a=b%3Dc'],
    ['https://x.test/p?a=1#', 'https://x.test/p?a=1#'],
    ['https://x.test/p?#frag', 'https://x.test/p'],
    ['javascript:alert(1)#x', 'javascript:alert(1)#x'],
  ])('re-serializes a query as URLSearchParams does: %s -> %s', (input, expected) => {
    expect(cleanUrl(input, 'https://base.test/')).toBe(expected);
  });

  it('gives what the URLSearchParams rules give, over many generated URLs and bases', () => {
    let seed = 12;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const starts = ['https://', 'HTTP://', 'http:', 'https:\\\\', ' https://', 'ftp://', 'mailto:a@b.test', 'javascript:x', '//', '/', '', '../', '?', '#', 'data:text/plain,'];
    const hosts = ['x.test', 'X.Test:443', 'x.test:80', '0x7f.1', 'a b', 'xn--nxasmq6b.test', 'ü.test', '[::1]', ''];
    const paths = ['', '/', '/a/../b', '/%2e/c', '/p q', '/ä', '/a?b', '/a\tb'];
    const names = ['utm_source', 'UTM_Medium', 'source', 'Source', 'fbclid', 'utm%5Fx', 'a+b', 'id', 'q', '', 'sk', '%75tm_x', 'ä', 'x*.-_'];
    const values = ['', '1', 'a b', 'a+b', '%20', '%zz', '=', 'ä', '/:?', 'x*.-_', '~'];
    const bases = [undefined, 'https://base.test/dir/page?x=1', 'http://b.test', '', 'not a base', 'about:blank'];
    for (let i = 0; i < 4000; i++) {
      const pairs = Array.from({ length: Math.floor(random() * 5) }, () => {
        const shape = random();
        return shape < 0.15 ? '' : shape < 0.3 ? pick(names) : `${pick(names)}=${pick(values)}`;
      });
      const query = random() < 0.8 ? `?${pairs.join('&')}` : '';
      const hash = pick(['', '', '#', '#f', '#a?b=c', '#%20']);
      const url = `${pick(starts)}${pick(hosts)}${pick(paths)}${query}${hash}`;
      const base = pick(bases);
      expect(cleanUrl(url, base), `${url} on ${base}`).toBe(cleanUrlBySearchParams(url, base));
    }
  });
});

describe('isTrackingPixel', () => {
  it('recognises medium.com/_/stat on any subdomain only', () => {
    expect(isTrackingPixel('https://medium.com/_/stat?event=post.clientViewed')).toBe(true);
    expect(isTrackingPixel('https://cdn-images-1.medium.com/max/1024/1*x.png')).toBe(false);
  });
});
