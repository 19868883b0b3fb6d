import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectedIsaPaths, setIsa } from '../src/kernels.ts';
import { pagedAttention } from '../src/pagedAttention.ts';
import { type StepItem, TestKvBook } from './support/testKvBook.ts';
import { TestRng } from './support/testRng.ts';

interface Geometry {
  numBlocks: number;
  blockSize: number;
  nHead: number;
  nHeadKv: number;
  headDim: number;
}

/** Plain reference: per sequence, logical K/V rows by position; causal softmax attention in float64. */
class ReferenceAttention {
  private readonly keys = new Map<number, Float32Array[]>();
  private readonly values = new Map<number, Float32Array[]>();

  constructor(private readonly g: Geometry) {}

  step(seqOf: number[], pos: number[], q: Float32Array, k: Float32Array, v: Float32Array): Float64Array {
    const { nHead, nHeadKv, headDim: hd } = this.g;
    const kvRow = nHeadKv * hd;
    seqOf.forEach((s, t) => {
      if (!this.keys.has(s)) {
        this.keys.set(s, []);
        this.values.set(s, []);
      }
      this.keys.get(s)![pos[t]!] = k.slice(t * kvRow, (t + 1) * kvRow);
      this.values.get(s)![pos[t]!] = v.slice(t * kvRow, (t + 1) * kvRow);
    });
    const out = new Float64Array(seqOf.length * nHead * hd);
    const group = nHead / nHeadKv;
    seqOf.forEach((s, t) => {
      const K = this.keys.get(s)!;
      const V = this.values.get(s)!;
      for (let h = 0; h < nHead; h++) {
        const kh = Math.floor(h / group);
        const qo = (t * nHead + h) * hd;
        const scores: number[] = [];
        for (let j = 0; j <= pos[t]!; j++) {
          let d = 0;
          for (let i = 0; i < hd; i++) d += q[qo + i]! * K[j]![kh * hd + i]!;
          scores.push(d / Math.sqrt(hd));
        }
        const mx = Math.max(...scores);
        const w = scores.map((x) => Math.exp(x - mx));
        const sum = w.reduce((a, b) => a + b, 0);
        for (let j = 0; j <= pos[t]!; j++)
          for (let i = 0; i < hd; i++) out[qo + i] = out[qo + i]! + (w[j]! / sum) * V[j]![kh * hd + i]!;
      }
    });
    return out;
  }
}

function runSteps(g: Geometry, steps: StepItem[][], seed: number, qScale = 1): number {
  const rng = new TestRng(seed);
  const book = new TestKvBook(g.numBlocks, g.blockSize, rng);
  const ref = new ReferenceAttention(g);
  const cacheLen = g.numBlocks * g.blockSize * g.nHeadKv * g.headDim;
  const kCache = new Float32Array(cacheLen);
  const vCache = new Float32Array(cacheLen);
  let worst = 0;
  for (const items of steps) {
    const { batch } = book.build(items);
    const T = batch.tokens.length;
    const q = rng.normals(T * g.nHead * g.headDim, qScale);
    const k = rng.normals(T * g.nHeadKv * g.headDim);
    const v = rng.normals(T * g.nHeadKv * g.headDim);
    const out = pagedAttention({ ...g, ...batch, q, k, v, kCache, vCache });
    const seqOf: number[] = [];
    items.forEach((it) => {
      for (const _ of it.tokens) seqOf.push(it.seq);
    });
    const want = ref.step(seqOf, Array.from(batch.positions), q, k, v);
    expect(out.length).toBe(want.length);
    for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i]! - want[i]!));
  }
  return worst;
}

const fill = (n: number) => Array.from({ length: n }, () => 0);

describe.each(selectedIsaPaths())('pagedAttention (%s path)', (isa) => {
  beforeAll(() => {
    setIsa(isa);
  });
  afterAll(() => {
    setIsa(selectedIsaPaths().at(-1)!);
  });

  it('matches the reference on mixed prefill/decode steps with GQA and scattered blocks', () => {
    const g = { numBlocks: 64, blockSize: 4, nHead: 8, nHeadKv: 2, headDim: 20 };
    const steps: StepItem[][] = [
      [
        { seq: 0, tokens: fill(13), logits: 'none' },
        { seq: 1, tokens: fill(1), logits: 'none' },
        { seq: 2, tokens: fill(30), logits: 'none' },
        { seq: 3, tokens: fill(7), logits: 'none' },
      ],
      [
        { seq: 0, tokens: fill(1), logits: 'none' },
        { seq: 1, tokens: fill(1), logits: 'none' },
        { seq: 2, tokens: fill(9), logits: 'none' },
        { seq: 3, tokens: fill(1), logits: 'none' },
        { seq: 4, tokens: fill(18), logits: 'none' },
      ],
      [0, 1, 2, 3, 4].map((seq) => ({ seq, tokens: fill(1), logits: 'none' as const })),
    ];
    expect(runSteps(g, steps, 1)).toBeLessThan(1e-5);
  });

  it('matches the reference without GQA, with 64-wide heads and large blocks', () => {
    const g = { numBlocks: 12, blockSize: 16, nHead: 3, nHeadKv: 3, headDim: 64 };
    const steps: StepItem[][] = [
      [
        { seq: 0, tokens: fill(40), logits: 'none' },
        { seq: 1, tokens: fill(17), logits: 'none' },
      ],
      [
        { seq: 1, tokens: fill(1), logits: 'none' },
        { seq: 0, tokens: fill(25), logits: 'none' },
        { seq: 2, tokens: fill(3), logits: 'none' },
      ],
    ];
    expect(runSteps(g, steps, 2)).toBeLessThan(1e-5);
  });

  it('handles long multi-chunk contexts with MQA and very peaked softmax', () => {
    const g = { numBlocks: 40, blockSize: 16, nHead: 4, nHeadKv: 1, headDim: 32 };
    const steps: StepItem[][] = [64, 64, 64, 8, 1, 1].map((n) => [
      { seq: 0, tokens: fill(n), logits: 'none' },
      { seq: 1, tokens: fill(1 + (n % 5)), logits: 'none' },
    ]);
    expect(runSteps(g, steps, 4)).toBeLessThan(1e-5);
    // Scores around ±300: the online softmax must not overflow or lose the maximum.
    expect(runSteps(g, steps, 5, 50)).toBeLessThan(1e-4);
  });

  it('rejects a slot that disagrees with the block table', () => {
    const g = { numBlocks: 8, blockSize: 4, nHead: 2, nHeadKv: 1, headDim: 8 };
    const book = new TestKvBook(g.numBlocks, g.blockSize, new TestRng(3));
    const { batch } = book.build([{ seq: 0, tokens: fill(5), logits: 'none' }]);
    batch.slotMapping[4] = (batch.slotMapping[4]! + 1) % (g.numBlocks * g.blockSize);
    const cache = new Float32Array(g.numBlocks * g.blockSize * g.nHeadKv * g.headDim);
    const args = {
      ...g,
      ...batch,
      q: new Float32Array(5 * 16),
      k: new Float32Array(5 * 8),
      v: new Float32Array(5 * 8),
      kCache: cache,
      vCache: cache.slice(),
    };
    expect(() => pagedAttention(args)).toThrow(
      expect.objectContaining({ name: 'NativeError', code: 'DTE_ERR_NATIVE_BATCH_SLOT' }),
    );
  });
});
