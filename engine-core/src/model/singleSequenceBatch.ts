import type { ForwardBatch } from './LlamaTypes.ts';

/**
 * A {@link ForwardBatch} for one sequence whose KV lives in blocks `0, 1, 2, ...` (the trivial
 * block table used by `generate`; the serving engine brings its own BlockManager).
 * `tokens` are written at positions `start, start+1, ...`; logits are returned for the last one
 * (or for every token with `allLogits`).
 * @example const batch = singleSequenceBatch([1, 403], 0, 64)
 */
export function singleSequenceBatch(
  tokens: ArrayLike<number>,
  start: number,
  maxBlocksPerSeq: number,
  allLogits = false,
): ForwardBatch {
  const n = tokens.length;
  const positions = new Int32Array(n);
  for (let i = 0; i < n; i++) positions[i] = start + i;
  const blockTables = new Int32Array(maxBlocksPerSeq);
  for (let i = 0; i < maxBlocksPerSeq; i++) blockTables[i] = i;
  return {
    tokens: Int32Array.from(tokens),
    positions,
    seqStarts: Int32Array.of(0, n),
    contextLens: Int32Array.of(start + n),
    blockTables,
    maxBlocksPerSeq,
    slotMapping: positions.slice(),
    logitsIndices: allLogits ? Int32Array.from({ length: n }, (_, i) => i) : Int32Array.of(n - 1),
  };
}
