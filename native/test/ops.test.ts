import { describe, expect, it } from 'vitest';
import { addBias, argmax, getRows, rmsNorm, rope, selectedIsaPaths, setIsa, siluMul, softmax } from '../src/index.ts';
import { refDequantize, rowBytes, T } from './reference/refDequantize.ts';
import { type RefRope, refRmsNorm, refRope, refSoftmax, relErr } from './reference/refOps.ts';
import { Rng, randomWeights } from './reference/testData.ts';

const ROPE_BASE: RefRope = {
  nRot: 16,
  freqBase: 10000,
  freqScale: 1,
  neox: false,
  nCtxOrig: 0,
  extFactor: 0,
  attnFactor: 1,
  betaFast: 32,
  betaSlow: 1,
};

describe.each(selectedIsaPaths())('ops on the %s path', (isa) => {
  it('rmsNorm with and without weights (odd n)', () => {
    setIsa(isa);
    const rng = new Rng(1);
    for (const [m, n] of [
      [1, 7],
      [3, 64],
      [17, 300],
    ] as const) {
      const x = rng.f32(m * n, 3);
      const w = rng.f32(n);
      expect(relErr(rmsNorm(x, w, m, n, 1e-5), refRmsNorm(x, w, m, n, 1e-5))).toBeLessThan(1e-6);
      expect(relErr(rmsNorm(x, null, m, n, 1e-6), refRmsNorm(x, null, m, n, 1e-6))).toBeLessThan(1e-6);
    }
  });

  it.each([
    ['normal', {}],
    ['neox', { neox: true }],
    ['partial nRot', { nRot: 8 }],
    ['neox partial nRot', { neox: true, nRot: 8 }],
    ['linear scaling', { freqScale: 0.25 }],
    ['yarn', { freqScale: 0.25, extFactor: 1, nCtxOrig: 4096, attnFactor: 1, betaFast: 32, betaSlow: 1 }],
    ['freq base 1e6', { freqBase: 1e6, neox: true }],
    ['freq factors (rope_freqs)', { freqFactors: Float32Array.from([1, 1, 1.5, 2, 4, 8, 8, 8]) }],
    [
      'freq factors with yarn',
      { freqFactors: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), freqScale: 0.5, extFactor: 1, nCtxOrig: 2048 },
    ],
  ] as const)('rope %s matches llama.cpp semantics', (_name, over) => {
    setIsa(isa);
    const rng = new Rng(2);
    const p: RefRope = { ...ROPE_BASE, ...over };
    const m = 5;
    const heads = 3;
    const headDim = 16;
    const x = rng.f32(m * heads * headDim);
    const pos = Int32Array.from([0, 1, 7, 130, 511]);
    const got = rope(x, pos, m, heads, headDim, p);
    // tolerance: llama.cpp (and we) advance theta by repeated f32 multiplication
    expect(relErr(got, refRope(x, pos, m, heads, headDim, p))).toBeLessThan(2e-4);
    // rows at position 0 are unchanged without scaling factors
    if ((p.extFactor ?? 0) === 0) for (let i = 0; i < heads * headDim; i++) expect(got[i]).toBe(x[i]);
    // dims past nRot are untouched
    for (let h = 0; h < m * heads; h++) {
      for (let d = p.nRot; d < headDim; d++) expect(got[h * headDim + d]).toBe(x[h * headDim + d]);
    }
  });

  it('siluMul, addBias, softmax, argmax', () => {
    setIsa(isa);
    const rng = new Rng(3);
    const g = rng.f32(1001, 8);
    const u = rng.f32(1001);
    const s = siluMul(g, u);
    for (let i = 0; i < g.length; i++) {
      const gi = g[i] as number;
      expect(s[i]).toBeCloseTo((gi / (1 + Math.exp(-gi))) * (u[i] as number), 5);
    }
    const x = rng.f32(3 * 5);
    const b = rng.f32(5);
    const xb = addBias(x, b, 3, 5);
    for (let i = 0; i < 15; i++) expect(xb[i]).toBeCloseTo((x[i] as number) + (b[i % 5] as number), 6);
    const logits = rng.f32(4 * 257, 20);
    expect(relErr(softmax(logits, 4, 257), refSoftmax(logits, 4, 257))).toBeLessThan(1e-5);
    const sm = softmax(Float32Array.from([1, 2, Number.NEGATIVE_INFINITY]), 1, 3);
    expect(sm[2]).toBe(0);
    expect(argmax(Float32Array.from([1, 5, -2, 5, 3]))).toBe(1);
    expect(argmax(logits)).toBe(logits.indexOf(Math.max(...logits)));
  });

  it.each([
    ['f32', T.F32, 19],
    ['f16', T.F16, 19],
    ['bf16', T.BF16, 19],
    ['q8_0', T.Q8_0, 64],
    ['q4_0', T.Q4_0, 64],
    ['q4_K', T.Q4_K, 256],
    ['q6_K', T.Q6_K, 256],
  ] as const)('getRows gathers dequantized %s rows', (_name, type, k) => {
    setIsa(isa);
    const rows = 11;
    const table = randomWeights(type, k, rows, new Rng(type));
    const ids = Int32Array.from([10, 0, 3, 3]);
    const got = getRows(type, table, k, rows, ids);
    const rb = rowBytes(type, k);
    ids.forEach((id, i) => {
      const want = refDequantize(type, table.subarray(id * rb, (id + 1) * rb), k);
      for (let j = 0; j < k; j++) expect(got[i * k + j]).toBeCloseTo(want[j] as number, 5);
    });
  });
});
