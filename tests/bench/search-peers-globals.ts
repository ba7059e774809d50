// FlexSearch's IndexedDB adapter finds IndexedDB as `window.indexedDB` when
// its module loads and asks `navigator.storage` for persistence: under Node
// (fake-indexeddb) both are given here, before FlexSearch is imported.
import 'fake-indexeddb/auto';

const g = globalThis as Record<string, unknown>;
g.window ??= globalThis;
g.navigator ??= {};
