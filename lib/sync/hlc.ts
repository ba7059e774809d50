/**
 * Hybrid logical clock stamps as fixed-width strings, so that comparing two
 * stamps as strings orders them: 13 digits of wall milliseconds, 4 hex digits
 * of counter, then the writer's node id (a random per-context id) to break ties.
 * A stamp never goes backwards in one context, and a stamp made after seeing
 * another is always greater than it, even when this machine's clock is behind.
 */
export type Stamp = string;

const MS_DIGITS = 13;
const COUNTER_DIGITS = 4;

export interface ParsedStamp {
  ms: number;
  counter: number;
  node: string;
}

export function parseStamp(stamp: Stamp): ParsedStamp {
  return {
    ms: Number(stamp.slice(0, MS_DIGITS)),
    counter: parseInt(stamp.slice(MS_DIGITS, MS_DIGITS + COUNTER_DIGITS), 16),
    node: stamp.slice(MS_DIGITS + COUNTER_DIGITS),
  };
}

export function formatStamp(ms: number, counter: number, node: string): Stamp {
  return `${String(Math.floor(ms)).padStart(MS_DIGITS, '0')}${counter.toString(16).padStart(COUNTER_DIGITS, '0')}${node}`;
}

/** A well-formed stamp (files from other devices are checked before use). */
export function isStamp(value: unknown): value is Stamp {
  return typeof value === 'string' && /^\d{13}[0-9a-f]{4}[0-9a-z]{1,16}$/.test(value);
}

export interface Clock {
  /** A new stamp, greater than every stamp made or seen here, and than `after`. */
  tick(after?: Stamp): Stamp;
  /** Takes note of a stamp from elsewhere so later local stamps are greater. */
  observe(stamp: Stamp): void;
  readonly node: string;
}

export function createClock(now: () => number = Date.now, node: string = randomNode()): Clock {
  let lastMs = 0;
  let lastCounter = 0;
  const observe = (stamp: Stamp) => {
    const p = parseStamp(stamp);
    if (p.ms > lastMs || (p.ms === lastMs && p.counter > lastCounter)) {
      lastMs = p.ms;
      lastCounter = p.counter;
    }
  };
  return {
    node,
    observe,
    tick(after) {
      if (after) observe(after);
      const wall = now();
      if (wall > lastMs) {
        lastMs = wall;
        lastCounter = 0;
      } else {
        lastCounter += 1;
        if (lastCounter >= 16 ** COUNTER_DIGITS) {
          lastMs += 1;
          lastCounter = 0;
        }
      }
      return formatStamp(lastMs, lastCounter, node);
    },
  };
}

/** 8 base-36 characters: unique enough per JS context (popup, options, background). */
export function randomNode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return [...bytes].map((b) => (b % 36).toString(36)).join('');
}

export function maxStamp(a: Stamp | undefined, b: Stamp | undefined): Stamp | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
