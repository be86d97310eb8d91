/**
 * Deterministic randomness for the synthetic enterprise. Every entity draws from its own stream,
 * seeded from (seed, family, index) by a hash, so any entity can be recomputed on its own, in any
 * order, and always comes out the same: the generator never keeps what it can recompute.
 */

/** murmur3's 32-bit finaliser: a cheap, well-mixed hash of one 32-bit word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of up to five non-negative integers (each below 2^32; missing ones count as 0). */
export function hash32(a: number, b = 0, c = 0, d = 0, e = 0): number {
  let h = 0x9e3779b9;
  h = fmix32((h ^ fmix32(a >>> 0)) + 0x6d2b79f5);
  h = fmix32((h ^ fmix32(b >>> 0)) + 0x6d2b79f5);
  h = fmix32((h ^ fmix32(c >>> 0)) + 0x6d2b79f5);
  h = fmix32((h ^ fmix32(d >>> 0)) + 0x6d2b79f5);
  return fmix32((h ^ fmix32(e >>> 0)) + 0x6d2b79f5);
}

/** A uniform number in [0, 1) from a hash of integers: randomness without a stream. */
export function hashUnit(a: number, b = 0, c = 0, d = 0): number {
  return hash32(a, b, c, d) / 4294967296;
}

/** A weighted choice table: `[value, weight]` pairs; weights need not sum to anything. */
export type Weighted<T> = readonly (readonly [T, number])[];

/**
 * mulberry32 (Tommy Ettinger, public domain): a small 32-bit generator, plenty for synthetic data.
 * The helpers below are the only ways the generator draws.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A stream for one entity: `family` names the kind of entity, `index` the entity. */
  static of(seed: number, family: number, index: number): SeededRandom {
    return new SeededRandom(hash32(seed, family, index));
  }

  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A number in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(values: readonly T[]): T {
    if (values.length === 0) throw new Error('pick from an empty list');
    return values[Math.floor(this.next() * values.length)]!;
  }

  weighted<T>(table: Weighted<T>): T {
    let total = 0;
    for (const [, weight] of table) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of table) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return table[table.length - 1]![0];
  }

  /**
   * An index in [0, size) skewed towards 0: `skew` 1 is uniform, 2 or 3 make the first entries
   * popular (a few resources reached by many roles, a few credentials shared by many pipelines).
   */
  skewed(size: number, skew: number): number {
    return Math.min(size - 1, Math.floor(size * Math.pow(this.next(), skew)));
  }
}
