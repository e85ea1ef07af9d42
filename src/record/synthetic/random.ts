import { type Rng, seededRng } from '../../common/seeded-rng.ts';

/**
 * The seeded randomness every synthetic generator draws from: uniform, integer, weighted and lognormal draws
 * and UUIDs, all from one 32-bit seed. `fork(label)` gives an independent stream, so one part of a record
 * (its documents, say) can change without shifting what the rest draws.
 *
 * @example
 * const random = new SeededRandom(42);
 * random.int(1, 6);                         // the same throw every run
 * random.fork('documents').lognormal(47, 0.8);
 */
export class SeededRandom {
  readonly seed: number;
  readonly #next: Rng;
  #spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, not ${seed}`);
    this.seed = seed;
    // Mixed first so that neighbouring seeds (1, 2, 3…) start far apart in mulberry32's sequence.
    this.#next = seededRng(mix32(seed));
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.#next();
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.#next() < p;
  }

  /** One item, each equally likely. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.#next() * items.length)] as T;
  }

  /** One item, chosen in proportion to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let at = this.#next() * total;
    for (const [item, w] of items) {
      at -= w;
      if (at < 0) return item;
    }
    const last = items.at(-1);
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** A standard normal draw (Box–Muller, using both halves of each pair). */
  normal(): number {
    const spare = this.#spareNormal;
    if (spare !== undefined) {
      this.#spareNormal = undefined;
      return spare;
    }
    const u = 1 - this.#next(); // (0, 1]: log(0) is never taken
    const v = this.#next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A lognormal draw given its median and the standard deviation of its logarithm. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** A Poisson count with the given mean (Knuth's method below 30, a rounded normal above). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.#next(); p > limit; p *= this.#next()) k++;
    return k;
  }

  /** An upper-case version 4 UUID, as GP Connect senders give resource ids. */
  uuid(): string {
    const bytes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const word = (this.#next() * 4_294_967_296) >>> 0;
      bytes.push(
        HEX[word >>> 24] ?? '',
        HEX[(word >>> 16) & 0xff] ?? '',
        HEX[(word >>> 8) & 0xff] ?? '',
        HEX[word & 0xff] ?? '',
      );
    }
    // Version 4 in the high nibble of byte 6; the variant (10xx) in the high bits of byte 8.
    bytes[6] = `4${bytes[6]?.charAt(1)}`;
    bytes[8] = HEX[(Number.parseInt(bytes[8] ?? '0', 16) & 0x3f) | 0x80] ?? '';
    const [a0, a1, a2, a3, b0, b1, c0, c1, d0, d1, ...rest] = bytes;
    return `${a0}${a1}${a2}${a3}-${b0}${b1}-${c0}${c1}-${d0}${d1}-${rest.join('')}`;
  }

  /** An independent stream named by `label`: the same seed and label always give the same stream. */
  fork(label: string): SeededRandom {
    let h = mix32(this.seed);
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    return new SeededRandom(mix32(h));
  }
}

/** Upper-case hex of each byte value. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).toUpperCase().padStart(2, '0'),
);

/** A 32-bit integer hash (murmur3's finaliser) of a safe integer, high bits folded in. */
export function mix32(value: number): number {
  const high = Math.floor(value / 4_294_967_296) >>> 0;
  let h = ((value >>> 0) ^ Math.imul(high, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
