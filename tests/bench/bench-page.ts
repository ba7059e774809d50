// A bench entry bundled and served from 127.0.0.1, so a Chromium page can
// run it with a real origin (IndexedDB, workers). Shared by the browser benches.
import { build } from 'esbuild';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BenchPage {
  url: string;
  close(): void;
}

/** Bundles `entry` (a file next to this one) and serves it as the page's only script. */
export async function serveBenchPage(entry: string, title: string): Promise<BenchPage> {
  const bundle = await build({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>${title}</title><script src="/bench.js"></script>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}
