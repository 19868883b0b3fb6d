import { describe, expect, it } from 'vitest';
import { type LlamaConfig, LlamaModel } from '../src/LlamaModel.ts';
import { maxAbsDiff, type RandomLlamaOptions, randomLlama, referenceForward } from './support/referenceLlama.ts';
import { TestKvBook } from './support/testKvBook.ts';
import { TestRng } from './support/testRng.ts';
import { tinyConfig } from './support/tinyConfig.ts';

const variants: Array<{ name: string; config: Partial<LlamaConfig>; opts: RandomLlamaOptions }> = [
  { name: 'llama (normal rope, untied output)', config: {}, opts: {} },
  { name: 'mistral-style neox rope, tied output', config: { arch: 'mistral', ropeNeox: true }, opts: { tied: true } },
  { name: 'qwen2 (q/k/v bias, neox rope)', config: { arch: 'qwen2', ropeNeox: true }, opts: { bias: true } },
  {
    name: 'llama with linear rope scaling ×4',
    config: { ropeScaling: { type: 'linear', factor: 4, origCtx: 2048 } },
    opts: {},
  },
  {
    name: 'qwen3 (per-head q/k norm, neox, headDim ≠ nEmbd/nHead)',
    config: { arch: 'qwen3', ropeNeox: true, headDim: 24, ropeFreqBase: 1e6 },
    opts: { qkNorm: true },
  },
];

describe('LlamaModel matches a plain TypeScript reference forward', () => {
  for (const v of variants) {
    it(v.name, () => {
      const rng = new TestRng(42);
      const m = randomLlama(tinyConfig(v.config), rng, v.opts);
      const model = new LlamaModel(m.config, m.weights);
      const tokens = Array.from({ length: 19 }, () => rng.int(m.config.nVocab));
      const want = referenceForward(m, tokens);
      const book = new TestKvBook(m.config.numBlocks, m.config.blockSize, rng);

      // Prefill of 12 tokens, logits for every position.
      const pre = book.build([{ seq: 0, tokens: tokens.slice(0, 12), logits: 'all' }]).batch;
      const logits = model.forwardSync(pre);
      expect(logits.length).toBe(12 * m.config.nVocab);
      for (let p = 0; p < 12; p++) {
        const row = logits.subarray(p * m.config.nVocab, (p + 1) * m.config.nVocab);
        expect(maxAbsDiff(row, want.logits[p]!)).toBeLessThan(1e-4);
      }
      // Then a 3-token chunk and single-token decodes through the cache.
      const chunk = book.build([{ seq: 0, tokens: tokens.slice(12, 15), logits: 'all' }]).batch;
      const cl = model.forwardSync(chunk);
      for (let i = 0; i < 3; i++)
        expect(
          maxAbsDiff(cl.subarray(i * m.config.nVocab, (i + 1) * m.config.nVocab), want.logits[12 + i]!),
        ).toBeLessThan(1e-4);
      for (let p = 15; p < 19; p++) {
        const dec = book.build([{ seq: 0, tokens: [tokens[p]!], logits: 'last' }]).batch;
        expect(maxAbsDiff(model.forwardSync(dec), want.logits[p]!)).toBeLessThan(1e-4);
      }
      model.dispose();
    });
  }

  it('returns final-norm hidden rows when wantHidden is set', () => {
    const rng = new TestRng(7);
    const m = randomLlama(tinyConfig({ arch: 'qwen2', ropeNeox: true }), rng, { bias: true });
    const model = new LlamaModel(m.config, m.weights);
    const tokens = [5, 17, 3, 88, 41, 9];
    const want = referenceForward(m, tokens);
    const { batch } = new TestKvBook(64, 4, rng).build([{ seq: 0, tokens, logits: 'all' }]);
    batch.logitsIndices = Int32Array.from([5, 0, 3]);
    const hidden = model.forwardSync({ ...batch, wantHidden: true });
    expect(hidden.length).toBe(3 * m.config.nEmbd);
    [5, 0, 3].forEach((p, r) => {
      expect(maxAbsDiff(hidden.subarray(r * 64, (r + 1) * 64), want.hidden[p]!)).toBeLessThan(1e-4);
    });
  });

  it('incremental decode through the cache equals a full prefill', () => {
    const rng = new TestRng(11);
    const m = randomLlama(tinyConfig(), rng);
    const tokens = Array.from({ length: 21 }, () => rng.int(m.config.nVocab));
    const full = new LlamaModel(m.config, m.weights);
    const a = full.forwardSync(new TestKvBook(64, 4, rng).build([{ seq: 0, tokens, logits: 'last' }]).batch);
    const inc = new LlamaModel(m.config, m.weights);
    const book = new TestKvBook(64, 4, rng);
    inc.forwardSync(book.build([{ seq: 0, tokens: tokens.slice(0, 4), logits: 'none' }]).batch);
    let last: Float32Array = new Float32Array();
    for (let p = 4; p < tokens.length; p++)
      last = inc.forwardSync(book.build([{ seq: 0, tokens: [tokens[p]!], logits: 'last' }]).batch);
    expect(maxAbsDiff(last, Float64Array.from(a))).toBeLessThan(1e-5);
  });

  it('reports the KV cache size and frees it on dispose', () => {
    const m = randomLlama(tinyConfig(), new TestRng(1));
    const model = new LlamaModel(m.config, m.weights);
    expect(model.kvCacheBytes).toBe(2 * 2 * 64 * 4 * 2 * 16 * 4);
    model.dispose();
    expect(model.kvCacheBytes).toBe(0);
  });
});
