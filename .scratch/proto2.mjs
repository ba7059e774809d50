import puppeteer from 'puppeteer-core';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, relative } from 'node:path';
import { zipSync } from 'fflate';
const uuid = '6f1b0c2e-1f2a-4c3d-9e4f-5a6b7c8d9e0f';
const dir = resolve('.output/firefox-mv3');
const files = {};
const walk = (d) => { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else files[relative(dir, p)] = readFileSync(p); } };
walk(dir);
const xpi = join(mkdtempSync(join(tmpdir(), 'xpi-')), 'offprint.xpi');
writeFileSync(xpi, zipSync(files));
const profile = mkdtempSync(join(tmpdir(), 'ff-proto-'));
async function launch() {
  const t0 = Date.now();
  const b = await puppeteer.launch({
    browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true, userDataDir: profile,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ 'offprint@offprint.app': uuid }),
      'network.dns.forceResolve': '127.0.0.1',
      'extensions.webextOptionalPermissionPrompts': false,
      'devtools.console.stdout.content': true,
      'xpinstall.signatures.required': false,
    },
  });
  const lines = [];
  b.process().stdout.on('data', (d) => lines.push(String(d)));
  b.process().stderr.on('data', (d) => lines.push(String(d)));
  console.log('launched in', Date.now() - t0);
  return { b, lines };
}
async function popup(b) {
  const page = await b.newPage();
  page.goto(`moz-extension://${uuid}/popup.html`).catch(() => {});
  await page.waitForFunction(() => location.protocol === 'moz-extension:' && document.querySelector('h1'), { timeout: 10000 });
  return page;
}
let { b, lines } = await launch();
const r = await b.connection.send('webExtension.install', { extensionData: { type: 'archivePath', path: xpi }, 'moz:permanent': true }).catch((e) => e.message);
console.log('perm install', JSON.stringify(r).slice(0, 200));
let p = await popup(b);
console.log(await p.evaluate(() => browser.runtime.sendMessage({ type: 'library:add', payload: { articles: [{ url: 'https://a.dev/x', source: 'clip', title: 'Persisted one', html: '<p>x</p>', text: 'x', savedAt: 1 }] } })));
await p.setOfflineMode(true).then(() => console.log('offline ok'), (e) => console.log('offline err', e.message));
console.log('online?', await p.evaluate(() => navigator.onLine));
await b.close();
console.log('--- lines1', lines.join('').split('\n').filter((l) => /moz-extension|console/.test(l)).slice(0, 10));
({ b, lines } = await launch());
await new Promise((r) => setTimeout(r, 1500));
p = await popup(b);
console.log(await p.evaluate(() => document.body.innerText.slice(0, 200)));
console.log(await p.evaluate(() => browser.runtime.sendMessage({ type: 'ping' })));
await b.close();
