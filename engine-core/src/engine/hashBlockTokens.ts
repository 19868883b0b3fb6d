/** Chain hash of the root block's parent (no parent). */
export const ROOT_BLOCK_HASH = 0;

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Prefix-cache key of one full KV block: a 53-bit hash of the parent block's key and this block's
 * tokens, so equal keys mean (up to collisions, which the block manager checks) equal whole prefixes.
 * @example const h1 = hashBlockTokens(ROOT_BLOCK_HASH, ids, 0, 16); const h2 = hashBlockTokens(h1, ids, 16, 32);
 */
export function hashBlockTokens(parentHash: number, tokens: readonly number[], start: number, end: number): number {
  let h1 = (parentHash >>> 0) ^ 0x243f6a88;
  let h2 = Math.floor(parentHash / 4294967296) ^ 0x85a308d3;
  for (let i = start; i < end; i++) {
    const t = tokens[i]! | 0;
    h1 = Math.imul(h1 ^ t, 0x01000193);
    h1 ^= h1 >>> 15;
    h2 = Math.imul((h2 + t) ^ 0x9e3779b9, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  h1 = fmix32(h1 ^ (end - start));
  h2 = fmix32(h2 ^ Math.imul(end - start, 0x27d4eb2f));
  return h1 + (h2 & 0x1fffff) * 4294967296;
}
