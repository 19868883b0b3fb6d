import { kitError } from './KitError.ts';

/**
 * A small seeded pseudo-random generator (sfc32 seeded through splitmix32).
 *
 * Library code never uses `Math.random`; every stochastic choice draws from a
 * `Prng` so the same seed replays the same run.
 *
 * @example
 * ```ts
 * const rng = createPrng(42);
 * rng.next();      // float in [0, 1)
 * rng.nextInt(10); // integer in [0, 10)
 * ```
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n); `n` must be a positive integer. */
  nextInt(n: number): number;
  /** The internal state, for saving and restoring a run exactly. */
  getState(): [number, number, number, number];
  /** Restores a state returned by `getState`. */
  setState(state: readonly [number, number, number, number]): void;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a seeded generator; equal seeds give equal sequences. */
export function createPrng(seed: number): Prng {
  if (!Number.isFinite(seed)) throw kitError('DTE_ERR_KIT_BAD_ARGUMENT', 'createPrng', 'seed must be a finite number');
  const init = splitmix32(Math.floor(seed));
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextU32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextU32();
  return {
    next: () => nextU32() / 4294967296,
    nextInt: (n: number) => {
      if (!Number.isInteger(n) || n <= 0)
        throw kitError('DTE_ERR_KIT_BAD_ARGUMENT', 'Prng.nextInt', 'n must be a positive integer');
      return Math.floor((nextU32() / 4294967296) * n);
    },
    getState: () => [a, b, c, d],
    setState: (state) => {
      [a, b, c, d] = state.map((x) => x >>> 0) as [number, number, number, number];
    },
  };
}
