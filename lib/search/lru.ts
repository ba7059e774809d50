// A least-recently-used cache bounded by an estimate of the bytes it holds.

export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private bytes = 0;

  /** Lookups answered from memory, and not (for the bench's hit rates). */
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, bytes: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    // Map iterates in insertion order: the first key is the least recently used.
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes || this.entries.size === 1) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held. */
  get heldBytes(): number {
    return this.bytes;
  }
}
