import { browser } from 'wxt/browser';
import { createLocalPrepare } from '../../lib/dom/prepare';
import { createListener } from '../../lib/messages';

// Chrome's service worker has no DOM; it sends DOM work here.
const prepare = createLocalPrepare(window);
browser.runtime.onMessage.addListener(
  createListener({
    'dom:prepare': ({ items }) => prepare(items),
  }),
);
