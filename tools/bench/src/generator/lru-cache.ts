/**
 * A small least-recently-used cache. The generator recomputes entities instead of keeping them;
 * this keeps the few it is working on (an NHI whose first events are still being emitted, the
 * popular credentials pipelines share) without letting memory grow with the enterprise.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity: must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value for `key`, computing (and caching) it when absent. */
  getOrCompute(key: K, compute: (key: K) => V): V {
    const cached = this.entries.get(key);
    if (cached !== undefined || this.entries.has(key)) {
      // Re-insert so that the Map's insertion order is the recency order.
      this.entries.delete(key);
      this.entries.set(key, cached as V);
      return cached as V;
    }
    const value = compute(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    return value;
  }
}
