import { describe, expect, it } from 'vitest';
import { getNumThreads, setNumThreads } from '../src/kernels.ts';
import { LlamaModel } from '../src/LlamaModel.ts';
import { maxAbsDiff, randomLlama } from './support/referenceLlama.ts';
import { type StepItem, TestKvBook } from './support/testKvBook.ts';
import { TestRng } from './support/testRng.ts';
import { tinyConfig } from './support/tinyConfig.ts';

const rowOf = (out: Float32Array, r: number, n: number) => out.subarray(r * n, (r + 1) * n);

describe('LlamaModel batch invariance', () => {
  it("a sequence's logits are the same alone and inside a batch of 16 mixed prefills and decodes", () => {
    const rng = new TestRng(5);
    const cfg = tinyConfig({ numBlocks: 256, blockSize: 4 });
    const m = randomLlama(cfg, rng);
    const V = cfg.nVocab;
    const target = Array.from({ length: 14 }, () => rng.int(V));
    const rand = (n: number) => Array.from({ length: n }, () => rng.int(V));

    // Alone: prefill 13, then decode 1.
    const alone = new LlamaModel(cfg, m.weights);
    const bookA = new TestKvBook(cfg.numBlocks, cfg.blockSize, new TestRng(100));
    const a1 = alone.forwardSync(bookA.build([{ seq: 0, tokens: target.slice(0, 13), logits: 'all' }]).batch);
    const a2 = alone.forwardSync(bookA.build([{ seq: 0, tokens: [target[13]!], logits: 'last' }]).batch);

    // Batched: 15 other sequences, first a warm-up prefill for 10 of them, then the target's prefill amid
    // 10 decodes and 5 new prefills of different lengths, then its decode amid more mixed work.
    const batched = new LlamaModel(cfg, m.weights);
    const bookB = new TestKvBook(cfg.numBlocks, cfg.blockSize, new TestRng(200));
    const warm: StepItem[] = Array.from({ length: 10 }, (_, i) => ({
      seq: i + 1,
      tokens: rand(1 + ((i * 7) % 23)),
      logits: 'none',
    }));
    batched.forwardSync(bookB.build(warm).batch);
    const step1: StepItem[] = [];
    for (let i = 1; i <= 10; i++) step1.push({ seq: i, tokens: rand(1), logits: 'last' });
    step1.splice(4, 0, { seq: 0, tokens: target.slice(0, 13), logits: 'all' });
    for (let i = 11; i <= 15; i++) step1.push({ seq: i, tokens: rand(2 + i), logits: i % 2 ? 'last' : 'all' });
    const b1 = bookB.build(step1);
    expect(b1.batch.seqStarts.length).toBe(17);
    const o1 = batched.forwardSync(b1.batch);
    const step2: StepItem[] = [];
    for (let i = 15; i >= 1; i--) step2.push({ seq: i, tokens: rand(i % 3 === 0 ? 5 : 1), logits: 'last' });
    step2.splice(9, 0, { seq: 0, tokens: [target[13]!], logits: 'last' });
    const b2 = bookB.build(step2);
    const o2 = batched.forwardSync(b2.batch);

    let worst = 0;
    b1.rows.forEach((r, i) => {
      if (r.seq === 0) worst = Math.max(worst, maxAbsDiff(rowOf(o1, i, V), Float64Array.from(rowOf(a1, r.pos, V))));
    });
    const t2 = b2.rows.findIndex((r) => r.seq === 0);
    worst = Math.max(worst, maxAbsDiff(rowOf(o2, t2, V), Float64Array.from(a2)));
    expect(b1.rows.filter((r) => r.seq === 0).length).toBe(13);
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});

describe('LlamaModel thread invariance', () => {
  it('gives bit-identical logits with 1 and 3 pool threads', () => {
    const rng = new TestRng(8);
    const cfg = tinyConfig({ numBlocks: 64 });
    const m = randomLlama(cfg, rng);
    const items: StepItem[] = [
      { seq: 0, tokens: Array.from({ length: 37 }, (_, i) => (i * 5) % 97), logits: 'all' },
      { seq: 1, tokens: [3, 1, 4], logits: 'last' },
    ];
    const before = getNumThreads();
    const run = (threads: number) => {
      setNumThreads(threads);
      const model = new LlamaModel(cfg, m.weights);
      return model.forwardSync(new TestKvBook(64, 4, new TestRng(2)).build(items).batch);
    };
    try {
      expect(Array.from(run(3))).toEqual(Array.from(run(1)));
    } finally {
      setNumThreads(before);
    }
  });
});

describe('LlamaModel rejects bad batches with typed errors', () => {
  const rng = new TestRng(9);
  const cfg = tinyConfig({ numBlocks: 16, blockSize: 4 });
  const m = randomLlama(cfg, rng);
  const model = new LlamaModel(cfg, m.weights);
  const good = () =>
    new TestKvBook(cfg.numBlocks, cfg.blockSize, new TestRng(1)).build([
      { seq: 0, tokens: [1, 2, 3, 4, 5, 6], logits: 'last' },
      { seq: 1, tokens: [7, 8], logits: 'last' },
    ]).batch;

  const cases: Array<[string, string, (b: ReturnType<typeof good>) => unknown]> = [
    ['tokens not an Int32Array', 'DTE_ERR_NATIVE_BATCH_SHAPE', (b) => ({ ...b, tokens: [1, 2, 3, 4, 5, 6, 7, 8] })],
    ['positions length mismatch', 'DTE_ERR_NATIVE_BATCH_SHAPE', (b) => ({ ...b, positions: b.positions.slice(1) })],
    [
      'seqStarts not ending at T',
      'DTE_ERR_NATIVE_BATCH_SHAPE',
      (b) => ({ ...b, seqStarts: Int32Array.from([0, 6, 7]) }),
    ],
    ['seqStarts beyond T', 'DTE_ERR_NATIVE_BATCH_SHAPE', (b) => ({ ...b, seqStarts: Int32Array.from([0, 9, 8]) })],
    [
      'empty batch',
      'DTE_ERR_NATIVE_BATCH_SHAPE',
      (b) => ({ ...b, tokens: new Int32Array(), positions: new Int32Array() }),
    ],
    ['blockTables wrong length', 'DTE_ERR_NATIVE_BATCH_SHAPE', (b) => ({ ...b, blockTables: b.blockTables.slice(1) })],
    ['maxBlocksPerSeq 0', 'DTE_ERR_NATIVE_BATCH_SHAPE', (b) => ({ ...b, maxBlocksPerSeq: 0 })],
    ['token outside the vocabulary', 'DTE_ERR_NATIVE_BATCH_RANGE', (b) => ({ ...b, tokens: b.tokens.map(() => 97) })],
    ['negative token', 'DTE_ERR_NATIVE_BATCH_RANGE', (b) => ({ ...b, tokens: b.tokens.map(() => -1) })],
    ['more logits rows than tokens', 'DTE_ERR_NATIVE_BATCH_SHAPE', (b) => ({ ...b, logitsIndices: new Int32Array(9) })],
    ['logits index out of range', 'DTE_ERR_NATIVE_BATCH_RANGE', (b) => ({ ...b, logitsIndices: Int32Array.from([8]) })],
    [
      'position beyond contextLens',
      'DTE_ERR_NATIVE_BATCH_RANGE',
      (b) => ({ ...b, contextLens: Int32Array.from([5, 2]) }),
    ],
    ['negative position', 'DTE_ERR_NATIVE_BATCH_RANGE', (b) => ({ ...b, positions: b.positions.map((p) => p - 1) })],
    ['block id ≥ numBlocks', 'DTE_ERR_NATIVE_BATCH_BLOCK', (b) => ({ ...b, blockTables: b.blockTables.map(() => 16) })],
    [
      'missing block (-1) in use',
      'DTE_ERR_NATIVE_BATCH_BLOCK',
      (b) => ({ ...b, blockTables: b.blockTables.map(() => -1) }),
    ],
    ['slot out of range', 'DTE_ERR_NATIVE_BATCH_SLOT', (b) => ({ ...b, slotMapping: b.slotMapping.map(() => 64) })],
    ['wantHidden not boolean', 'DTE_ERR_NATIVE_BATCH_SHAPE', (b) => ({ ...b, wantHidden: 1 })],
    ['not an object', 'DTE_ERR_NATIVE_BATCH_SHAPE', () => 42],
  ];
  for (const [name, code, mutate] of cases) {
    it(`${name} → ${code} (sync and async)`, async () => {
      const bad = mutate(good()) as ReturnType<typeof good>;
      expect(() => model.forwardSync(bad)).toThrow(expect.objectContaining({ name: 'NativeError', code }));
      await expect(model.forward(bad)).rejects.toMatchObject({ code });
    });
  }

  it('still computes after rejected batches', async () => {
    const out = await model.forward(good());
    expect(out.length).toBe(2 * cfg.nVocab);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('rejects bad configs and weights with typed errors', () => {
    expect(() => new LlamaModel({ ...cfg, nHeadKv: 3 }, m.weights)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_NATIVE_MODEL_CONFIG' }),
    );
    expect(() => new LlamaModel({ ...cfg, arch: 'gpt2' as 'llama' }, m.weights)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_NATIVE_MODEL_CONFIG' }),
    );
    const short = { ...m.weights.tokenEmbd, data: m.weights.tokenEmbd.data.subarray(4) };
    expect(() => new LlamaModel(cfg, { ...m.weights, tokenEmbd: short })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_NATIVE_MODEL_WEIGHT' }),
    );
    expect(() => new LlamaModel(cfg, { ...m.weights, layers: m.weights.layers.slice(1) })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_NATIVE_MODEL_WEIGHT' }),
    );
    const badType = { ...m.weights.outputNorm, type: 99 };
    expect(() => new LlamaModel(cfg, { ...m.weights, outputNorm: badType })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_NATIVE_MODEL_WEIGHT' }),
    );
  });

  it('forwardSync during an async forward is BUSY; forwards after dispose are DISPOSED', async () => {
    const own = new LlamaModel(cfg, m.weights);
    const p = own.forward(good());
    expect(() => own.forwardSync(good())).toThrow(expect.objectContaining({ code: 'DTE_ERR_NATIVE_MODEL_BUSY' }));
    const queued = own.forward(good());
    own.dispose();
    await expect(p).resolves.toBeInstanceOf(Float32Array);
    await expect(queued).rejects.toMatchObject({ code: 'DTE_ERR_NATIVE_MODEL_DISPOSED' });
    await expect(own.forward(good())).rejects.toMatchObject({ code: 'DTE_ERR_NATIVE_MODEL_DISPOSED' });
    expect(() => own.forwardSync(good())).toThrow(expect.objectContaining({ code: 'DTE_ERR_NATIVE_MODEL_DISPOSED' }));
    expect(own.kvCacheBytes).toBe(0);
  });
});
