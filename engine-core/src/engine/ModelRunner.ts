import { EngineError } from '../EngineError.ts';
import type { ForwardBatch, ModelExecutor } from '../model/LlamaTypes.ts';
import type { Sequence } from './Sequence.ts';

/** A prepared step: the batch, and which sequences own each returned row. */
export interface PreparedBatch {
  batch: ForwardBatch;
  /** `rows[r]` is the sequence whose output is row r (one row per sampling sequence). */
  rows: Sequence[];
}

/**
 * Turns scheduled sequences into a paged {@link ForwardBatch} (tokens, positions, block tables,
 * KV slots, which rows to return) and runs it on the executor.
 */
export class ModelRunner {
  executor: ModelExecutor;
  readonly blockSize: number;

  constructor(executor: ModelExecutor, blockSize: number) {
    this.executor = executor;
    this.blockSize = blockSize;
  }

  /**
   * Builds the batch for sequences with `numScheduledTokens` set. A sequence returns a row when its
   * chunk reaches its last token (it samples next); `allRows` returns a row for every token (embeddings).
   */
  prepare(seqs: readonly Sequence[], allRows = false): PreparedBatch {
    const bs = this.blockSize;
    let numTokens = 0;
    let maxBlocks = 1;
    for (const s of seqs) {
      numTokens += s.numScheduledTokens;
      if (s.blockTable.length > maxBlocks) maxBlocks = s.blockTable.length;
    }
    const S = seqs.length;
    const tokens = new Int32Array(numTokens);
    const positions = new Int32Array(numTokens);
    const slotMapping = new Int32Array(numTokens);
    const seqStarts = new Int32Array(S + 1);
    const contextLens = new Int32Array(S);
    const blockTables = new Int32Array(S * maxBlocks).fill(-1);
    const logitsIndices: number[] = [];
    const rows: Sequence[] = [];
    let t = 0;
    for (let s = 0; s < S; s++) {
      const seq = seqs[s]!;
      seqStarts[s] = t;
      const start = seq.numComputedTokens;
      const end = start + seq.numScheduledTokens;
      if (end > seq.numTokens || seq.blockTable.length * bs < end) {
        throw new EngineError('DTE_ERR_ENGINE_BAD_CONFIG', `ModelRunner.prepare: sequence ${seq.seqId} lacks KV slots`);
      }
      for (let pos = start; pos < end; pos++, t++) {
        tokens[t] = seq.tokenIds[pos]!;
        positions[t] = pos;
        slotMapping[t] = seq.blockTable[Math.floor(pos / bs)]! * bs + (pos % bs);
        if (allRows) logitsIndices.push(t);
      }
      contextLens[s] = end;
      for (let b = 0; b < seq.blockTable.length; b++) blockTables[s * maxBlocks + b] = seq.blockTable[b]!;
      if (!allRows && end === seq.numTokens) {
        logitsIndices.push(t - 1);
        rows.push(seq);
      }
    }
    seqStarts[S] = t;
    const batch: ForwardBatch = {
      tokens,
      positions,
      seqStarts,
      contextLens,
      blockTables,
      maxBlocksPerSeq: maxBlocks,
      slotMapping,
      logitsIndices: Int32Array.from(logitsIndices),
    };
    if (allRows) batch.wantHidden = true;
    return { batch, rows };
  }

  /** Runs one prepared batch; executor failures become `DTE_ERR_ENGINE_EXECUTOR_FAILED`. */
  async run(prepared: PreparedBatch): Promise<Float32Array> {
    try {
      return await this.executor.forward(prepared.batch);
    } catch (cause) {
      throw new EngineError('DTE_ERR_ENGINE_EXECUTOR_FAILED', `ModelRunner.run: forward failed: ${String(cause)}`, {
        cause,
      });
    }
  }
}
