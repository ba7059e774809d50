// The scale bench in Debian's Chromium with its real IndexedDB. The build
// runs in a dedicated worker (as in the service worker); its memory is the
// worker's JS heap read over the DevTools protocol while it builds (the
// stored data lives in IndexedDB, outside the heap), above the heap after a
// collection just before it. Queries run in the page, as in the popup.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { serveBenchPage } from './bench-page';
import { chromium, type CDPSession } from 'playwright-core';
import { findChromium } from '../e2e/harness/chromium';
import { percentile, round, type BenchResult } from './result';

type Fn = (...args: never[]) => Promise<unknown>;

interface TargetSession {
  send<T = unknown>(method: string, params?: object): Promise<T>;
}

/**
 * A DevTools session to the worker that `start` creates, over the page's
 * session (Target.sendMessageToTarget): Playwright opens sessions for pages
 * and frames only.
 */
async function attachWorker(cdp: CDPSession, start: () => Promise<unknown>): Promise<TargetSession> {
  const replies = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id !== undefined) replies.get(m.id)?.(m);
  });
  const attached = new Promise<string>((resolve) => cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => e.targetInfo.type === 'worker' && resolve(e.sessionId)));
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await start();
  const sessionId = await attached;
  let next = 0;
  return {
    send<T>(method: string, params: object = {}) {
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        replies.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result as T)));
        void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
      });
    },
  };
}

/**
 * CPU time (user + system, ms) of this process's descendants: the browser
 * and its renderer, GPU and utility processes, IndexedDB's work included. On
 * a machine shared with other work it shows the build's own cost, which
 * wall time does not.
 */
function childrenCpuMs(): number {
  const procs = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command name (which may hold spaces): state ppid … utime(14) stime(15).
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = procs.get(pid)?.ppid; p !== undefined && p > 1; p = procs.get(p)?.ppid) if (p === process.pid) return true;
    return false;
  };
  let ticks = 0;
  procs.forEach((p, pid) => (ticks += isDescendant(pid) ? p.ticks : 0));
  return ticks * 10; // USER_HZ is 100 on Linux
}

export async function runScaleInChromium(size: number): Promise<BenchResult[]> {
  const server = await serveBenchPage('./search-scale-entry.ts', 'scale bench');
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
  const name = `bench-scale-${size}-${Date.now()}`;
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    await page.goto(server.url);
    const call = <T>(fn: string, ...args: unknown[]) =>
      page.evaluate(([f, a]) => ((globalThis as unknown as Record<string, Fn>)[f as string]! as (...x: unknown[]) => Promise<unknown>)(...(a as unknown[])), [fn, args] as const) as Promise<T>;
    await call('storeScale', name, size);
    // The build runs in a dedicated worker, as in the extension's service
    // worker: its heap is read from the worker's own DevTools session.
    const cdp = await page.context().newCDPSession(page);
    const worker = await attachWorker(cdp, () => page.evaluate(() => void ((globalThis as unknown as { buildWorker: Worker }).buildWorker = new Worker('/bench.js'))));
    await worker.send('HeapProfiler.enable');
    await worker.send('HeapProfiler.collectGarbage');
    const floor = (await worker.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
    let peak = floor;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const u = await worker.send<{ usedSize: number }>('Runtime.getHeapUsage');
        peak = Math.max(peak, u.usedSize);
        await new Promise((r) => setTimeout(r, 50));
      }
    })().catch(() => undefined); // a browser gone mid-build fails the build's evaluate below, not the whole bench
    // SCALE_PROFILE_DIR: a CPU profile of the worker's build, <dir>/chromium-build-<size>.cpuprofile (open in DevTools).
    const profileDir = process.env.SCALE_PROFILE_DIR;
    if (profileDir) {
      await worker.send('Profiler.enable');
      await worker.send('Profiler.setSamplingInterval', { interval: 500 });
      await worker.send('Profiler.start');
    }
    const w = page.workers()[0] ?? (await page.waitForEvent('worker'));
    while (!(await w.evaluate(() => typeof (globalThis as Record<string, unknown>).buildScale === 'function'))) await new Promise((r) => setTimeout(r, 50));
    const cpu0 = childrenCpuMs();
    const buildMs = (await w!.evaluate(([n]) => (globalThis as unknown as Record<string, (n: string) => Promise<number>>).buildScale!(n), [name] as const)) as number;
    const buildCpuMs = childrenCpuMs() - cpu0;
    sampling = false;
    await sampler;
    if (profileDir) {
      const { profile } = await worker.send<{ profile: unknown }>('Profiler.stop');
      writeFileSync(`${profileDir}/chromium-build-${size}.cpuprofile`, JSON.stringify(profile));
    }
    const cold: { openMs: number; firstQueryMs: number }[] = [];
    for (let i = 0; i < 5; i++) {
      await page.reload();
      cold.push(await call('coldOpen', name));
    }
    const times = await call<number[]>('warmTimes', name, 5);
    const { add, remove } = await call<{ add: number[]; remove: number[] }>('addOne', name, 10);
    await call('drop', name);
    const s = `_${size}`;
    return [
      { name: `search.chromium_build_ms${s}`, value: round(buildMs), unit: 'ms' },
      { name: `search.chromium_build_cpu_ms${s}`, value: round(buildCpuMs), unit: 'ms' },
      { name: `search.chromium_build_peak_mb${s}`, value: round((peak - floor) / 2 ** 20), unit: 'MB' },
      { name: `search.chromium_open_ms${s}`, value: round(percentile(cold.map((c) => c.openMs), 50)), unit: 'ms' },
      { name: `search.chromium_first_query_ms${s}`, value: round(percentile(cold.map((c) => c.firstQueryMs), 50)), unit: 'ms' },
      { name: `search.chromium_open_first_query_ms${s}`, value: round(percentile(cold.map((c) => c.openMs + c.firstQueryMs), 50)), unit: 'ms' },
      { name: `search.chromium_p50_ms${s}`, value: round(percentile(times, 50)), unit: 'ms' },
      { name: `search.chromium_p95_ms${s}`, value: round(percentile(times, 95)), unit: 'ms' },
      { name: `search.chromium_add1_ms${s}`, value: round(percentile(add, 50)), unit: 'ms' },
      { name: `search.chromium_remove1_ms${s}`, value: round(percentile(remove, 50)), unit: 'ms' },
    ];
  } finally {
    await browser.close();
    server.close();
  }
}
