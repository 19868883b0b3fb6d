import type { ForwardBatch, ModelExecutor } from '../../model/LlamaTypes.ts';
import type { EngineTokenizer, TokenStreamDecoder } from '../EngineTokenizer.ts';

/** Test-only model pieces: a paged fake executor whose logits are a pure function of the context. */
export const FAKE_BOS = 0;
export const FAKE_EOS = 1;
export const FAKE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz .,!?ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'; // ids 2…

/** Character tokenizer over {@link FAKE_ALPHABET}; id 0 = BOS, 1 = EOS. */
export class FakeTokenizer implements EngineTokenizer {
  readonly eosId = FAKE_EOS;
  readonly bosId = FAKE_BOS;
  readonly vocabSize = FAKE_ALPHABET.length + 2;

  encode(text: string, options: { addBos?: boolean } = {}): number[] {
    const ids = options.addBos === false ? [] : [FAKE_BOS];
    for (const ch of text) {
      const i = FAKE_ALPHABET.indexOf(ch);
      if (i >= 0) ids.push(i + 2);
    }
    return ids;
  }

  decode(ids: readonly number[]): string {
    return ids.map((id) => (id >= 2 ? FAKE_ALPHABET[id - 2] : '')).join('');
  }

  isEog(id: number): boolean {
    return id === FAKE_EOS;
  }

  createStreamDecoder(): TokenStreamDecoder {
    return { push: (id) => this.decode([id]), flush: () => '' };
  }
}

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Logits row for a context (the reference the paged executor must reproduce). */
export function fakeLogits(
  context: readonly number[],
  vocabSize: number,
  out = new Float32Array(vocabSize),
): Float32Array {
  let h = 0x1234567;
  for (const t of context) h = mix(h, t + 1);
  for (let j = 0; j < vocabSize; j++) {
    const r = mix(h, j * 7919 + 13);
    out[j] = (r / 4294967296) * 8 - 4 + (j === FAKE_EOS ? -1.5 : 0);
  }
  return out;
}

/** Greedy continuation computed directly from the token list (no paging). */
export function fakeGreedy(
  prompt: readonly number[],
  maxTokens: number,
  vocabSize: number,
  stopAtEos = true,
): number[] {
  const ctx = [...prompt];
  const out: number[] = [];
  for (let i = 0; i < maxTokens; i++) {
    const row = fakeLogits(ctx, vocabSize);
    let best = 0;
    for (let j = 1; j < vocabSize; j++) if (row[j]! > row[best]!) best = j;
    out.push(best);
    ctx.push(best);
    if (stopAtEos && best === FAKE_EOS) break;
  }
  return out;
}

/**
 * A paged executor: writes each token into its KV slot, then reads every context token back through
 * the block table, so a wrong block table, slot mapping or a clobbered shared block changes the output.
 */
export class FakeExecutor implements ModelExecutor {
  readonly vocabSize: number;
  readonly blockSize: number;
  private readonly kvToken: Int32Array;
  private readonly kvPos: Int32Array;
  numForwards = 0;
  batches: ForwardBatch[] = [];
  keepBatches = false;
  hiddenSize = 8;

  constructor(vocabSize: number, numBlocks: number, blockSize: number) {
    this.vocabSize = vocabSize;
    this.blockSize = blockSize;
    this.kvToken = new Int32Array(numBlocks * blockSize).fill(-1);
    this.kvPos = new Int32Array(numBlocks * blockSize).fill(-1);
  }

  async forward(batch: ForwardBatch): Promise<Float32Array> {
    await new Promise<void>((r) => setImmediate(r));
    return this.forwardSync(batch);
  }

  forwardSync(batch: ForwardBatch): Float32Array {
    this.numForwards++;
    if (this.keepBatches) this.batches.push(batch);
    const T = batch.tokens.length;
    for (let t = 0; t < T; t++) {
      const slot = batch.slotMapping[t]!;
      if (slot < 0 || slot >= this.kvToken.length) throw new Error(`bad slot ${slot}`);
      this.kvToken[slot] = batch.tokens[t]!;
      this.kvPos[slot] = batch.positions[t]!;
    }
    const R = batch.logitsIndices.length;
    const width = batch.wantHidden ? this.hiddenSize : this.vocabSize;
    const out = new Float32Array(R * width);
    const S = batch.seqStarts.length - 1;
    for (let r = 0; r < R; r++) {
      const i = batch.logitsIndices[r]!;
      let s = 0;
      while (s < S - 1 && batch.seqStarts[s + 1]! <= i) s++;
      const pos = batch.positions[i]!;
      const ctx: number[] = [];
      for (let p = 0; p <= pos; p++) {
        const block = batch.blockTables[s * batch.maxBlocksPerSeq + Math.floor(p / this.blockSize)]!;
        const slot = block * this.blockSize + (p % this.blockSize);
        if (block < 0 || this.kvPos[slot] !== p) throw new Error(`KV slot ${slot} does not hold position ${p}`);
        ctx.push(this.kvToken[slot]!);
      }
      if (batch.wantHidden) {
        for (let j = 0; j < width; j++) out[r * width + j] = ((ctx[ctx.length - 1]! * (j + 1)) % 7) - 3;
      } else {
        fakeLogits(ctx, this.vocabSize, out.subarray(r * width, (r + 1) * width));
      }
    }
    return out;
  }
}
