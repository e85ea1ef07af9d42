/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * A small, fast seeded generator (mulberry32), so a run (fault injection, a synthetic record) can be replayed
 * exactly from its seed. Not for anything secret.
 *
 * @example
 * const rng = seededRng(42); rng(); // same sequence every run
 */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
