import { Rng } from '@dte/arena';
import { cpuInfo, type IsaName, selectedIsaPaths, setIsa } from '@dte/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyLlama } from '../model/TinyLlama.ts';
import { NATIVE_OPS } from './nativeOps.ts';
import { TS_OPS } from './TrainOps.ts';
import type { Vec } from './Vec.ts';

const rng = new Rng(77);
const randn = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.next() - 1);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};
/** Two copies of the same random start values (backward ops accumulate). */
const twin = (n: number): [Float32Array, Float32Array] => {
  const a = randn(n);
  return [a, a.slice()];
};

// Every kernel path this CPU has (the portable C++ one always), so the fallbacks are checked too.
const PATHS: IsaName[] = selectedIsaPaths();

describe.each(PATHS)('native training ops on the %s path equal the TypeScript reference', (isa) => {
  let before: IsaName;
  beforeAll(() => {
    before = cpuInfo().isa;
    expect(setIsa(isa)).toBe(isa);
  });
  afterAll(() => {
    setIsa(before);
  });

  it('causal GQA attention forward and backward', () => {
    const s = { numSeqs: 3, seqLen: 17, nHead: 6, nHeadKv: 2, headDim: 12 };
    const t = s.numSeqs * s.seqLen;
    const [q, k, v, dOut] = [randn(t * 72), randn(t * 24), randn(t * 24), randn(t * 72)];
    const ref = TS_OPS.attention(q, k, v, s);
    const nat = NATIVE_OPS.attention(q, k, v, s);
    expect(nat.out).toBeInstanceOf(Float32Array);
    expect(maxDiff(nat.out, ref.out)).toBeLessThan(1e-5);
    expect(maxDiff(nat.probs, ref.probs)).toBeLessThan(1e-6);
    const [dq1, dq2] = twin(q.length);
    const [dk1, dk2] = twin(k.length);
    const [dv1, dv2] = twin(v.length);
    TS_OPS.attentionBackward(dOut, q, k, v, ref.probs, s, dq1, dk1, dv1);
    NATIVE_OPS.attentionBackward(dOut, q, k, v, nat.probs, s, dq2, dk2, dv2);
    expect(maxDiff(dq1, dq2)).toBeLessThan(1e-4);
    expect(maxDiff(dk1, dk2)).toBeLessThan(1e-4);
    expect(maxDiff(dv1, dv2)).toBeLessThan(1e-4);
  });

  it('linear layers forward and backward, at shapes that are and are not whole micro-kernel tiles', () => {
    for (const [m, k, n] of [
      [37, 64, 45],
      [12, 32, 32],
      [300, 270, 17],
      [1, 5, 3],
    ] as const) {
      const x = randn(m * k);
      const w = randn(n * k);
      const dy = randn(m * n);
      expect(maxDiff(NATIVE_OPS.linear(x, w, m, k, n), TS_OPS.linear(x, w, m, k, n))).toBeLessThan(1e-4);
      const [dx1, dx2] = twin(m * k);
      const [dw1, dw2] = twin(n * k);
      TS_OPS.linearBackward(dy, x, w, m, k, n, dx1, dw1);
      NATIVE_OPS.linearBackward(dy, x, w, m, k, n, dx2, dw2);
      expect(maxDiff(dx1, dx2)).toBeLessThan(2e-4);
      expect(maxDiff(dw1, dw2)).toBeLessThan(2e-4);
      // dx null: only the weight gradient.
      const dw3 = dw1.slice();
      NATIVE_OPS.linearBackward(dy, x, w, m, k, n, null, dw3);
      TS_OPS.linearBackward(dy, x, w, m, k, n, null, dw1);
      expect(maxDiff(dw1, dw3)).toBeLessThan(4e-4);
    }
  });

  it('RMSNorm, SwiGLU, RoPE and its inverse, cross-entropy', () => {
    const [m, n] = [29, 40];
    const x = randn(m * n);
    const g = randn(n);
    const dy = randn(m * n);
    const a = TS_OPS.rmsNorm(x, g, m, n, 1e-5);
    const b = NATIVE_OPS.rmsNorm(x, g, m, n, 1e-5);
    expect(maxDiff(a.y, b.y)).toBeLessThan(1e-5);
    const [dx1, dx2] = twin(m * n);
    const [dg1, dg2] = twin(n);
    TS_OPS.rmsNormBackward(dy, x, g, a.saved, m, n, 1e-5, dx1, dg1);
    NATIVE_OPS.rmsNormBackward(dy, x, g, b.saved, m, n, 1e-5, dx2, dg2);
    expect(maxDiff(dx1, dx2)).toBeLessThan(1e-4);
    expect(maxDiff(dg1, dg2)).toBeLessThan(1e-4);

    const [gate, up, dOut] = [randn(1003).map((v) => 6 * v), randn(1003), randn(1003)];
    expect(maxDiff(NATIVE_OPS.swiglu(gate, up), TS_OPS.swiglu(gate, up))).toBeLessThan(1e-5);
    const [dG1, dG2] = twin(1003);
    const [dU1, dU2] = twin(1003);
    TS_OPS.swigluBackward(dOut, gate, up, dG1, dU1);
    NATIVE_OPS.swigluBackward(dOut, gate, up, dG2, dU2);
    expect(maxDiff(dG1, dG2)).toBeLessThan(1e-5);
    expect(maxDiff(dU1, dU2)).toBeLessThan(1e-5);

    const pos = Int32Array.from({ length: 11 }, (_, i) => (i * 37) % 300);
    const r = randn(11 * 3 * 8);
    for (const inverse of [false, true]) {
      const want = TS_OPS.rope(r, pos, 3, 8, 10000, inverse);
      expect(maxDiff(NATIVE_OPS.rope(r, pos, 3, 8, 10000, inverse), want)).toBeLessThan(1e-4);
    }
    expect(
      maxDiff(NATIVE_OPS.rope(NATIVE_OPS.rope(r, pos, 3, 8, 10000, false), pos, 3, 8, 10000, true), r),
    ).toBeLessThan(1e-5);

    const V = 37;
    const logits = randn(9 * V).map((v) => 30 * v);
    const targets = Int32Array.from([3, -1, 0, 36, -1, 5, 5, -1, 20]);
    const ce1 = TS_OPS.crossEntropy(logits, targets, V);
    const ce2 = NATIVE_OPS.crossEntropy(logits, targets, V);
    expect(ce2.loss).toBeCloseTo(ce1.loss, 4);
    expect(maxDiff(ce1.dLogits, ce2.dLogits)).toBeLessThan(1e-6);
    expect(NATIVE_OPS.crossEntropy(logits, new Int32Array(9).fill(-1), V).loss).toBe(0);
  });

  it('float64 buffers take the TypeScript path', () => {
    const x = Float64Array.from(randn(6));
    const w = Float64Array.from(randn(6));
    const y: Vec = NATIVE_OPS.linear(x, w, 2, 3, 2);
    expect(y).toBeInstanceOf(Float64Array);
    expect(maxDiff(y, TS_OPS.linear(x, w, 2, 3, 2))).toBe(0);
  });

  it('a model on native kernels has the same loss and gradients', () => {
    const config = {
      nVocab: 50,
      nEmbd: 32,
      nLayer: 2,
      nHead: 4,
      nHeadKv: 2,
      nFf: 48,
      normEps: 1e-5,
      ropeFreqBase: 10000,
      contextLength: 32,
    };
    const a = TinyLlama.init(config, 8, 'f32', 'ts');
    const b = TinyLlama.init(config, 8, 'f32', 'native');
    const tokens = Int32Array.from({ length: 32 }, (_, i) => (i * 7) % 50);
    const targets = Int32Array.from({ length: 32 }, (_, i) => (i % 5 === 0 ? -1 : (i * 7 + 3) % 50));
    expect(b.lossAndGrad(tokens, targets, 2)).toBeCloseTo(a.lossAndGrad(tokens, targets, 2), 5);
    for (const [name, g] of a.grads) expect(maxDiff(g, b.grads.get(name)!)).toBeLessThan(1e-5);
  });
});
