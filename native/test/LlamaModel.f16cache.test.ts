import { afterAll, describe, expect, it } from 'vitest';
import { selectedIsaPaths, setIsa } from '../src/kernels.ts';
import { LlamaModel } from '../src/LlamaModel.ts';
import { maxAbsDiff, randomLlama, referenceForward } from './support/referenceLlama.ts';
import { type StepItem, TestKvBook } from './support/testKvBook.ts';
import { TestRng } from './support/testRng.ts';
import { tinyConfig } from './support/tinyConfig.ts';

describe('LlamaModel with an f16 KV cache', () => {
  const rng = new TestRng(31);
  const cfg = tinyConfig({
    kvCacheType: 'f16',
    numBlocks: 128,
    blockSize: 16,
    headDim: 20,
    arch: 'qwen2',
    ropeNeox: true,
  });
  const m = randomLlama(cfg, rng, { bias: true });
  const tokens = Array.from({ length: 40 }, () => rng.int(cfg.nVocab));
  const want = referenceForward(m, tokens).logits; // K/V rounded to f16 as the cache does
  const wantF32 = referenceForward({ ...m, config: { ...cfg, kvCacheType: 'f32' } }, tokens).logits;
  const run = (config = cfg) => {
    const model = new LlamaModel(config, m.weights);
    const book = new TestKvBook(128, 16, new TestRng(3));
    const a = model.forwardSync(book.build([{ seq: 0, tokens: tokens.slice(0, 33), logits: 'last' }]).batch);
    const outs = [a];
    for (let p = 33; p < 40; p++)
      outs.push(model.forwardSync(book.build([{ seq: 0, tokens: [tokens[p]!], logits: 'last' }]).batch));
    return { model, outs };
  };
  afterAll(() => {
    setIsa(selectedIsaPaths().at(-1)!);
  });

  it('halves the cache and matches a reference that rounds K/V to f16', () => {
    const { model, outs } = run();
    expect(model.kvCacheBytes).toBe(new LlamaModel({ ...cfg, kvCacheType: 'f32' }, m.weights).kvCacheBytes / 2);
    let worst = 0;
    outs.forEach((o, i) => {
      worst = Math.max(worst, maxAbsDiff(o, want[32 + i]!));
    });
    expect(worst).toBeLessThan(1e-4);
    // The f32 cache matches the unrounded reference, and differs from the f16 one: the f16 path really rounds.
    const f32 = run({ ...cfg, kvCacheType: 'f32' }).outs;
    expect(maxAbsDiff(f32.at(-1)!, wantF32[39]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(outs.at(-1)!, Float64Array.from(f32.at(-1)!))).toBeGreaterThan(1e-6);
  });

  it('agrees across ISA paths (f16 rounding is the same on both)', () => {
    const paths = selectedIsaPaths();
    const results = paths.map((isa) => {
      setIsa(isa);
      return Float32Array.from(run().outs.flatMap((o) => Array.from(o)));
    });
    for (const r of results) expect(maxAbsDiff(r, Float64Array.from(results[0]!))).toBeLessThan(1e-4);
  });

  it('is batch invariant', () => {
    const alone = run().outs[0]!;
    const model = new LlamaModel(cfg, m.weights);
    const book = new TestKvBook(128, 16, new TestRng(77));
    const items: StepItem[] = [
      { seq: 5, tokens: [1, 2, 3, 4, 5], logits: 'last' },
      { seq: 0, tokens: tokens.slice(0, 33), logits: 'last' },
      { seq: 6, tokens: [9], logits: 'last' },
    ];
    const out = model.forwardSync(book.build(items).batch);
    expect(maxAbsDiff(out.subarray(cfg.nVocab, 2 * cfg.nVocab), Float64Array.from(alone))).toBeLessThanOrEqual(1e-5);
  });

  it('rejects an unknown cache type', () => {
    expect(() => new LlamaModel({ ...cfg, kvCacheType: 'q8' as 'f16' }, m.weights)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_NATIVE_MODEL_CONFIG' }),
    );
  });
});
