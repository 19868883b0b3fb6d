import { Rng } from '@dte/arena';
import { describe, expect, it } from 'vitest';
import { attentionBackward, attentionForward } from './attention.ts';
import { crossEntropy } from './crossEntropy.ts';
import { embeddingBackward, embeddingForward } from './embedding.ts';
import { matmulBackward, matmulForward } from './matmul.ts';
import { rmsNormBackward, rmsNormForward } from './rmsNorm.ts';
import { rope } from './rope.ts';
import { swigluBackward, swigluForward } from './swiglu.ts';

const rng = new Rng(1234);
const randn = (n: number) => Float64Array.from({ length: n }, () => 2 * rng.next() - 1);

/**
 * Central finite differences of the scalar `loss()` with respect to every entry of `x` (float64),
 * compared with `analytic`: max |a − n| / max(1, |n|) must stay below `tol`.
 */
function check(x: Float64Array, analytic: Float64Array, loss: () => number, tol = 1e-6): number {
  const h = 1e-6;
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i]!;
    x[i] = x0 + h;
    const up = loss();
    x[i] = x0 - h;
    const down = loss();
    x[i] = x0;
    const numeric = (up - down) / (2 * h);
    worst = Math.max(worst, Math.abs(analytic[i]! - numeric) / Math.max(1, Math.abs(numeric)));
  }
  expect(worst).toBeLessThan(tol);
  return worst;
}

/** L = Σ y ⊙ r for a fixed random r, so dL/dy = r. */
const dot = (y: ArrayLike<number>, r: Float64Array) => {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += y[i]! * r[i]!;
  return s;
};

describe('backward passes match finite differences (float64)', () => {
  it('matmul', () => {
    const [m, k, n] = [3, 5, 4];
    const x = randn(m * k);
    const w = randn(n * k);
    const r = randn(m * n);
    const dx = new Float64Array(m * k);
    const dw = new Float64Array(n * k);
    matmulBackward(r, x, w, m, k, n, dx, dw);
    const loss = () => dot(matmulForward(x, w, m, k, n), r);
    check(x, dx, loss);
    check(w, dw, loss);
  });

  it('rmsNorm', () => {
    const [m, n] = [3, 6];
    const x = randn(m * n);
    const g = randn(n);
    const r = randn(m * n);
    const { rstd } = rmsNormForward(x, g, m, n, 1e-5);
    const dx = new Float64Array(m * n);
    const dg = new Float64Array(n);
    rmsNormBackward(r, x, g, rstd, m, n, dx, dg);
    const loss = () => dot(rmsNormForward(x, g, m, n, 1e-5).y, r);
    check(x, dx, loss);
    check(g, dg, loss);
  });

  it('rope (the backward is the inverse rotation)', () => {
    const pos = Int32Array.from([0, 1, 2, 7]);
    const [nh, hd] = [2, 8];
    const x = randn(pos.length * nh * hd);
    const r = randn(x.length);
    const dx = rope(r, pos, nh, hd, 10000, true) as Float64Array;
    check(x, dx, () => dot(rope(x, pos, nh, hd, 10000), r));
    // Position 0 is the identity; rotations keep norms.
    expect(rope(x, pos, nh, hd, 10000).slice(0, nh * hd)).toEqual(x.slice(0, nh * hd));
  });

  it('causal attention with grouped KV heads', () => {
    const s = { numSeqs: 2, seqLen: 4, nHead: 4, nHeadKv: 2, headDim: 3 };
    const t = s.numSeqs * s.seqLen;
    const q = randn(t * s.nHead * s.headDim);
    const k = randn(t * s.nHeadKv * s.headDim);
    const v = randn(t * s.nHeadKv * s.headDim);
    const r = randn(q.length);
    const { probs } = attentionForward(q, k, v, s);
    const [dq, dk, dv] = [new Float64Array(q.length), new Float64Array(k.length), new Float64Array(v.length)];
    attentionBackward(r, q, k, v, probs, s, dq, dk, dv);
    const loss = () => dot(attentionForward(q, k, v, s).out, r);
    check(q, dq, loss);
    check(k, dk, loss);
    check(v, dv, loss);
    // Causality: the first token's output is its own value row (one key to attend to).
    const { out } = attentionForward(q, k, v, s);
    expect(Array.from(out.slice(0, 3))).toEqual(Array.from(v.slice(0, 3)));
  });

  it('SwiGLU', () => {
    const gate = randn(10).map((x) => 3 * x);
    const up = randn(10);
    const r = randn(10);
    const [dg, du] = [new Float64Array(10), new Float64Array(10)];
    swigluBackward(r, gate, up, dg, du);
    const loss = () => dot(swigluForward(gate, up), r);
    check(gate, dg, loss);
    check(up, du, loss);
  });

  it('embedding (repeated ids accumulate)', () => {
    const [vocab, d] = [5, 3];
    const table = randn(vocab * d);
    const ids = Int32Array.from([1, 4, 1, 0]);
    const r = randn(ids.length * d);
    const dt = new Float64Array(vocab * d);
    embeddingBackward(r, ids, d, dt);
    check(table, dt, () => dot(embeddingForward(table, ids, d), r));
  });

  it('cross-entropy (ignored targets get no gradient)', () => {
    const v = 7;
    const targets = Int32Array.from([3, -1, 0, 6]);
    const logits = randn(targets.length * v).map((x) => 4 * x);
    const { dLogits, numScored } = crossEntropy(logits, targets, v);
    expect(numScored).toBe(3);
    check(logits, dLogits as Float64Array, () => crossEntropy(logits, targets, v).loss);
    for (let j = 0; j < v; j++) expect(dLogits[v + j]).toBe(0);
    // Uniform logits: the loss is log V.
    expect(crossEntropy(new Float64Array(v), Int32Array.from([2]), v).loss).toBeCloseTo(Math.log(v), 12);
  });
});
