import type { Prng } from '@dte/echo-kit';

/** Draws a standard normal sample from a seeded generator (Box–Muller). */
export function gaussian(rng: Prng): number {
  let u = rng.next();
  while (u <= 1e-300) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * Mixes a base seed with a stream index into an independent 32-bit seed
 * (murmur3 finaliser), so each membrane's reservoir gets its own stream.
 */
export function deriveSeed(seed: number, stream: number): number {
  let h = (Math.floor(seed) ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
