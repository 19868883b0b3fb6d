import { EngineError } from '../EngineError.ts';
import type { ForwardBatch, LlamaConfig } from './LlamaTypes.ts';

function bad(msg: string): never {
  throw new EngineError('DTE_ERR_MODEL_BAD_BATCH', `forward: ${msg}`);
}

/**
 * Checks a {@link ForwardBatch} against a configuration before any memory is touched: array
 * lengths, token ids, positions, block ids and slots in range, sequences contiguous.
 * Throws `DTE_ERR_MODEL_BAD_BATCH`. Returns the number of sequences.
 * @example const numSeqs = validateBatch(config, batch)
 */
export function validateBatch(config: LlamaConfig, b: ForwardBatch): number {
  const numTokens = b.tokens.length;
  const numSeqs = b.seqStarts.length - 1;
  if (numTokens === 0) bad('empty batch');
  if (numSeqs < 1) bad('seqStarts needs at least 2 entries');
  if (b.positions.length !== numTokens || b.slotMapping.length !== numTokens) {
    bad('positions and slotMapping must have one entry per token');
  }
  if (b.contextLens.length !== numSeqs) bad('contextLens must have one entry per sequence');
  if (!Number.isSafeInteger(b.maxBlocksPerSeq) || b.maxBlocksPerSeq < 1) bad('maxBlocksPerSeq must be >= 1');
  if (b.blockTables.length !== numSeqs * b.maxBlocksPerSeq) bad('blockTables must be numSeqs * maxBlocksPerSeq long');
  if (b.seqStarts[0] !== 0 || b.seqStarts[numSeqs] !== numTokens) bad('seqStarts must run from 0 to the token count');
  const numSlots = config.numBlocks * config.blockSize;
  for (let s = 0; s < numSeqs; s++) {
    const start = b.seqStarts[s]!;
    const end = b.seqStarts[s + 1]!;
    if (end < start) bad('seqStarts must be non-decreasing');
    const ctx = b.contextLens[s]!;
    if (ctx < 0 || ctx > b.maxBlocksPerSeq * config.blockSize) bad(`contextLens[${s}] out of range`);
    for (let i = start; i < end; i++) {
      const pos = b.positions[i]!;
      if (pos < 0 || pos >= ctx) bad(`positions[${i}] = ${pos} outside sequence ${s}'s context ${ctx}`);
      const blk = b.blockTables[s * b.maxBlocksPerSeq + Math.floor(pos / config.blockSize)]!;
      const want = blk * config.blockSize + (pos % config.blockSize);
      if (blk < 0 || b.slotMapping[i] !== want) bad(`slotMapping[${i}] does not match the block table`);
    }
    for (let j = 0; j < Math.ceil(ctx / config.blockSize); j++) {
      const blk = b.blockTables[s * b.maxBlocksPerSeq + j]!;
      if (blk < 0 || blk >= config.numBlocks) bad(`blockTables[${s}][${j}] = ${blk} out of range`);
    }
  }
  for (let i = 0; i < numTokens; i++) {
    const t = b.tokens[i]!;
    if (t < 0 || t >= config.nVocab) bad(`tokens[${i}] = ${t} outside the vocabulary`);
    const slot = b.slotMapping[i]!;
    if (slot < 0 || slot >= numSlots) bad(`slotMapping[${i}] = ${slot} out of range`);
  }
  for (const r of b.logitsIndices) if (r < 0 || r >= numTokens) bad(`logitsIndices entry ${r} out of range`);
  return numSeqs;
}
