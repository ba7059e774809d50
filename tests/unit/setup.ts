// IndexedDB for Dexie in Node; each test file gets fresh databases by name.
import 'fake-indexeddb/auto';
