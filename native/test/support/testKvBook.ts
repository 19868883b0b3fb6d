import type { ForwardBatch } from '../../src/LlamaModel.ts';
import type { TestRng } from './testRng.ts';

/** One sequence's part of a step: its new tokens and which outputs to return. */
export interface StepItem {
  seq: number;
  tokens: number[];
  logits: 'none' | 'last' | 'all';
}

/** A built step: the batch and, for each returned row, its sequence and position. */
export interface BuiltStep {
  batch: ForwardBatch;
  rows: Array<{ seq: number; pos: number }>;
}

/**
 * Test-side block manager: hands out random (non-contiguous) physical blocks per sequence and
 * builds ForwardBatch objects, like the engine's BlockManager would.
 */
export class TestKvBook {
  private readonly free: number[];
  private readonly seqs = new Map<number, { blocks: number[]; len: number }>();

  constructor(
    readonly numBlocks: number,
    readonly blockSize: number,
    rng: TestRng,
  ) {
    this.free = rng.shuffle(Array.from({ length: numBlocks }, (_, i) => i));
  }

  /** Tokens already in the cache for `seq`. */
  length(seq: number): number {
    return this.seqs.get(seq)?.len ?? 0;
  }

  build(items: StepItem[], maxBlocksPerSeq?: number): BuiltStep {
    const T = items.reduce((n, it) => n + it.tokens.length, 0);
    const tokens = new Int32Array(T);
    const positions = new Int32Array(T);
    const slotMapping = new Int32Array(T);
    const seqStarts = new Int32Array(items.length + 1);
    const contextLens = new Int32Array(items.length);
    const logitsIndices: number[] = [];
    const rows: BuiltStep['rows'] = [];
    const tables: number[][] = [];
    let t = 0;
    items.forEach((it, s) => {
      let st = this.seqs.get(it.seq);
      if (st === undefined) {
        st = { blocks: [], len: 0 };
        this.seqs.set(it.seq, st);
      }
      seqStarts[s] = t;
      it.tokens.forEach((tok, i) => {
        const pos = st.len + i;
        while (st.blocks.length * this.blockSize <= pos) {
          const b = this.free.pop();
          if (b === undefined) throw new Error('TestKvBook: out of blocks');
          st.blocks.push(b);
        }
        tokens[t] = tok;
        positions[t] = pos;
        slotMapping[t] = st.blocks[Math.floor(pos / this.blockSize)]! * this.blockSize + (pos % this.blockSize);
        const last = i === it.tokens.length - 1;
        if (it.logits === 'all' || (it.logits === 'last' && last)) {
          logitsIndices.push(t);
          rows.push({ seq: it.seq, pos });
        }
        t++;
      });
      st.len += it.tokens.length;
      contextLens[s] = st.len;
      tables.push([...st.blocks]);
    });
    seqStarts[items.length] = t;
    const mb = maxBlocksPerSeq ?? Math.max(1, ...tables.map((b) => b.length));
    const blockTables = new Int32Array(items.length * mb).fill(-1);
    tables.forEach((b, s) => {
      blockTables.set(b, s * mb);
    });
    const batch: ForwardBatch = {
      tokens,
      positions,
      seqStarts,
      contextLens,
      blockTables,
      maxBlocksPerSeq: mb,
      slotMapping,
      logitsIndices: Int32Array.from(logitsIndices),
    };
    return { batch, rows };
  }
}
