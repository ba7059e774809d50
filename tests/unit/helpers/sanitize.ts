import { JSDOM } from 'jsdom';
import { createLocalPrepare, type PrepareHtml } from '../../../lib/dom/prepare';

let shared: PrepareHtml | undefined;

/** The real sanitizer on a jsdom window, for node-environment tests (DOMPurify needs a real DOM). */
export function jsdomPrepare(): PrepareHtml {
  shared ??= createLocalPrepare(new JSDOM('').window as unknown as Window);
  return shared;
}
