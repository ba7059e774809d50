// The same sanitizer cases (hostile vectors, <br> inside <pre>, link rules)
// against both paths in a real Chromium: the browser's HTML Sanitizer API,
// which capture uses where present, and DOMPurify, used elsewhere.
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { expect, test } from '@playwright/test';
import { findChromium } from './harness/chromium';

let server: Server;
let browser: Browser;
let url: string;

test.beforeAll(async () => {
  const bundle = await build({ entryPoints: [new URL('./sanitizer-page.ts', import.meta.url).pathname], bundle: true, write: false, format: 'iife', target: 'chrome120', logLevel: 'silent' });
  const script = bundle.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === '/cases.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sanitizer cases</title><script src="/cases.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
});

test.afterAll(async () => {
  await browser?.close();
  server?.close();
});

test('the browser Sanitizer API path and the DOMPurify path pass the same cases', async () => {
  const page = await browser.newPage();
  await page.goto(url);
  const r = await page.evaluate(() => (globalThis as unknown as { runBothSanitizers: () => { cases: number; nativePresent: boolean; native: string[]; purify: string[]; wider: string[] } }).runBothSanitizers());
  expect(r.cases).toBeGreaterThan(30);
  // This Chromium has the API (146+); without it the "native" run would silently be DOMPurify again.
  expect(r.nativePresent, `Chromium ${browser.version()} has no HTML Sanitizer API`).toBe(true);
  expect(r.native).toEqual([]);
  expect(r.purify).toEqual([]);
  // The in-place path (DOM input) keeps nothing the browser's own safe configuration leaves out, but for images, code classes and gist markers.
  expect(r.wider).toEqual([]);
});
