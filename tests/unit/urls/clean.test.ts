import { describe, expect, it } from 'vitest';
import { cleanUrl, isTrackingPixel } from '../../../lib/urls/clean';

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
});

describe('isTrackingPixel', () => {
  it('recognises medium.com/_/stat on any subdomain only', () => {
    expect(isTrackingPixel('https://medium.com/_/stat?event=post.clientViewed')).toBe(true);
    expect(isTrackingPixel('https://cdn-images-1.medium.com/max/1024/1*x.png')).toBe(false);
  });
});
