import { hasSharedModel, sharedModel } from '@dte/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAME_ROUNDING_MAX_ABS } from '../../test/support/accuracyContract.ts';
import { LlamaCppOracle } from '../../test/support/llamaCppOracle.ts';
import { readGguf } from '../gguf/readGguf.ts';
import type { ForwardBatch } from './LlamaTypes.ts';
import { mapLlamaWeights } from './mapLlamaWeights.ts';
import { maxAbsDiff } from './maxAbsDiff.ts';
import { ReferenceModel } from './ReferenceModel.ts';
import { readLlamaConfig } from './readLlamaConfig.ts';
import { singleSequenceBatch } from './singleSequenceBatch.ts';

function argmax(x: Float32Array, off = 0, n = x.length): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (x[off + j]! > x[off + best]!) best = j;
  return best;
}

describe.skipIf(!hasSharedModel())('ReferenceModel on stories260K vs llama.cpp', () => {
  const path = sharedModel('stories260K.gguf');
  let oracle: LlamaCppOracle;
  const load = (numBlocks = 32) => {
    const file = readGguf(path);
    const config = readLlamaConfig(file, { blockSize: 16, numBlocks });
    return new ReferenceModel(config, mapLlamaWeights(file, config));
  };
  beforeAll(async () => {
    oracle = await LlamaCppOracle.load(path, { contextSize: 512 });
  });
  afterAll(async () => {
    await oracle?.dispose();
  });

  it('last-position logits agree to 1e-4 max-abs (same-rounding contract: f32 everywhere)', async () => {
    const tokens = [1, ...oracle.tokenize('Once upon a time, there was a little girl named Lily.')];
    const ours = load().forwardSync(singleSequenceBatch(tokens, 0, 32));
    const theirs = await oracle.lastLogits(tokens);
    expect(ours.length).toBe(512);
    expect(maxAbsDiff(ours, theirs)).toBeLessThanOrEqual(SAME_ROUNDING_MAX_ABS);
  });

  it('greedy decoding of 200 tokens is identical token for token', async () => {
    const prompt = [1, ...oracle.tokenize('Once upon a time')];
    const expected = await oracle.greedy(prompt, 200);
    const model = load(32);
    const got: number[] = [];
    let logits = model.forwardSync(singleSequenceBatch(prompt, 0, 32));
    for (let i = 0; i < 200; i++) {
      const next = argmax(logits);
      got.push(next);
      if (i < 199) logits = model.forwardSync(singleSequenceBatch([next], prompt.length + i, 32));
    }
    expect(got).toEqual(expected);
  });

  it('a paged multi-sequence batch equals each sequence run alone', () => {
    const a = [1, 403, 407, 261, 378, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160];
    const b = [1, 200, 201, 202];
    const aloneA = load().forwardSync(singleSequenceBatch(a, 0, 8, true));
    const aloneB = load().forwardSync(singleSequenceBatch(b, 0, 8, true));
    // Sequence a lives in blocks 5 and 2, b in block 7; prefill of a is split over two steps.
    const model = load(8);
    const first = 10;
    const table = (blocks: number[]) => [...blocks, ...Array(2 - blocks.length).fill(-1)];
    const step1: ForwardBatch = {
      tokens: Int32Array.from(a.slice(0, first)),
      positions: Int32Array.from({ length: first }, (_, i) => i),
      seqStarts: Int32Array.of(0, first),
      contextLens: Int32Array.of(first),
      blockTables: Int32Array.from(table([5])),
      maxBlocksPerSeq: 2,
      slotMapping: Int32Array.from({ length: first }, (_, i) => 5 * 16 + i),
      logitsIndices: Int32Array.of(first - 1),
    };
    model.forwardSync(step1);
    const restA = a.length - first;
    const step2: ForwardBatch = {
      tokens: Int32Array.from([...a.slice(first), ...b]),
      positions: Int32Array.from([...Array.from({ length: restA }, (_, i) => first + i), 0, 1, 2, 3]),
      seqStarts: Int32Array.of(0, restA, restA + b.length),
      contextLens: Int32Array.of(a.length, b.length),
      blockTables: Int32Array.from([...table([5, 2]), ...table([7])]),
      maxBlocksPerSeq: 2,
      slotMapping: Int32Array.from([
        ...Array.from({ length: restA }, (_, i) => {
          const p = first + i;
          return (p < 16 ? 5 : 2) * 16 + (p % 16);
        }),
        ...[0, 1, 2, 3].map((p) => 7 * 16 + p),
      ]),
      logitsIndices: Int32Array.of(restA - 1, restA + b.length - 1, 0),
    };
    const out = model.forwardSync(step2);
    expect(maxAbsDiff(out.subarray(0, 512), aloneA.subarray((a.length - 1) * 512))).toBeLessThan(1e-4);
    expect(maxAbsDiff(out.subarray(512, 1024), aloneB.subarray((b.length - 1) * 512))).toBeLessThan(1e-4);
    expect(maxAbsDiff(out.subarray(1024), aloneA.subarray(first * 512, (first + 1) * 512))).toBeLessThan(1e-4);
  });

  it('rejects malformed batches with DTE_ERR_MODEL_BAD_BATCH', () => {
    const model = load(4);
    const good = singleSequenceBatch([1, 2, 3], 0, 4);
    const bad = (patch: Partial<ForwardBatch>) => () => model.forwardSync({ ...good, ...patch });
    const code = expect.objectContaining({ code: 'DTE_ERR_MODEL_BAD_BATCH' });
    expect(bad({ tokens: Int32Array.of(1, 2, 9999) })).toThrow(code);
    expect(bad({ slotMapping: Int32Array.of(0, 1, 99) })).toThrow(code);
    expect(bad({ positions: Int32Array.of(0, 1, 5) })).toThrow(code);
    expect(bad({ logitsIndices: Int32Array.of(3) })).toThrow(code);
    expect(bad({ blockTables: Int32Array.of(9, 1, 2, 3) })).toThrow(code);
  });
});
