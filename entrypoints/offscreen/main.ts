import { browser } from 'wxt/browser';
import { createLocalPrepare } from '../../lib/dom/prepare';
import { createLocalExtract } from '../../lib/fulltext/extract';
import { createListener } from '../../lib/messages';

// Chrome's service worker has no DOM; it sends DOM work here.
const prepare = createLocalPrepare(window);
const extract = createLocalExtract(window);
browser.runtime.onMessage.addListener(
  createListener({
    'dom:prepare': ({ items }) => prepare(items),
    'dom:extract': ({ html, url }) => extract(html, url),
  }),
);
