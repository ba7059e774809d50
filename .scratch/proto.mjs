import puppeteer from 'puppeteer-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
const uuid = '6f1b0c2e-1f2a-4c3d-9e4f-5a6b7c8d9e0f';
const t0 = Date.now();
const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath: '/usr/bin/firefox-esr',
  headless: true,
  userDataDir: mkdtempSync(join(tmpdir(), 'ff-proto-')),
  args: ['--remote-allow-system-access'],
  dumpio: true,
  extraPrefsFirefox: {
    'extensions.webextensions.uuids': JSON.stringify({ 'offprint@offprint.app': uuid }),
    'network.dns.forceResolve': '127.0.0.1',
    'extensions.webextOptionalPermissionPrompts': false,
    'devtools.console.stdout.content': true,
  },
});
console.log('launched', Date.now() - t0);
const id = await browser.installExtension(resolve('.output/firefox-mv3'));
console.log('installed', id, Date.now() - t0);
const page = await browser.newPage();
page.goto(`moz-extension://${uuid}/popup.html`).catch((e) => console.log('goto err', e.message));
await new Promise((r) => setTimeout(r, 3000));
console.log('url', page.url());
console.log(await page.evaluate(() => document.title + ' | ' + document.body.innerText.slice(0, 300)));
console.log(await page.evaluate(() => chrome.runtime.sendMessage({ type: 'ping' })));
console.log(await page.evaluate(() => browser.runtime.sendMessage({ type: 'ping' })));
const h = await page.$('::-p-aria([name="Offprint"][role="heading"])');
console.log('aria', !!h);
await browser.close();
