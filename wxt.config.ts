import { defineConfig } from 'wxt';

// Manifest and build settings. Host access is limited to Medium at install;
// other feed hosts are requested as optional permissions when followed.
export default defineConfig({
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: 'Offprint',
    description: 'Follow Medium authors, clip articles, and read everything offline with fuzzy search.',
    permissions: [
      'storage',
      'unlimitedStorage',
      'alarms',
      'activeTab',
      'scripting',
      'contextMenus',
      'notifications',
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    host_permissions: ['https://medium.com/*', 'https://*.medium.com/*'],
    // Asked for when first needed: a followed feed's host, the sites of link-only articles
    // ("Fetch full text"), and the gist hosts for embedded code (issue 15).
    optional_host_permissions: ['https://*/*', 'http://*/*', 'https://gist.github.com/*', 'https://api.github.com/*', 'https://gist.githubusercontent.com/*'],
    commands: {
      'save-page': {
        suggested_key: { default: 'Alt+Shift+S' },
        description: 'Save this page to Offprint',
      },
      // Issue 14: the full-tab library page.
      'open-library': {
        suggested_key: { default: 'Alt+Shift+L' },
        description: 'Open the Offprint library',
      },
    },
    action: { default_title: 'Offprint' },
    browser_specific_settings:
      browser === 'firefox'
        ? {
            gecko: {
              id: 'offprint@offprint.app',
              // The current ESR: the oldest Firefox Mozilla still supports, and the
              // one CI tests (npm run test:firefox). 140 ESR reached end of life.
              strict_min_version: '153.0',
              data_collection_permissions: { required: ['none'] },
            },
          }
        : undefined,
  }),
  // The Firefox sources zip (for AMO review) leaves out local test output.
  zip: { excludeSources: ['test-results/**', 'test-results-firefox/**', 'playwright-report/**', '.test-summary/**', 'bench-results.json'] },
  vite: () => ({
    build: { target: 'es2022' },
  }),
});
