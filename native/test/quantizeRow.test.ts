import { describe, expect, it } from 'vitest';
import { dequantize, matmul, quantizeRow } from '../src/index.ts';
import { refDequantize, rowBytes, T } from './reference/refDequantize.ts';
import { Rng } from './reference/testData.ts';

// Round trip through quantizeRow and the reference dequantizer. Bound: the largest error within each
// block, relative to that block's largest |x| (F32 exact; F16 half an ulp; the integer formats about
// half a quantization step plus the error of their 6/8-bit scales).
const CASES: Array<{ name: string; type: number; block: number; tol: number }> = [
  { name: 'f32', type: T.F32, block: 1, tol: 0 },
  { name: 'f16', type: T.F16, block: 32, tol: 1e-3 },
  { name: 'bf16', type: T.BF16, block: 32, tol: 8e-3 },
  { name: 'q8_0', type: T.Q8_0, block: 32, tol: 1 / 200 },
  { name: 'q4_0', type: T.Q4_0, block: 32, tol: 0.13 }, // d = max/-8: the opposite extreme clips at 7d
  { name: 'q4_K', type: T.Q4_K, block: 256, tol: 0.1 },
  { name: 'q6_K', type: T.Q6_K, block: 256, tol: 0.025 },
];

describe('quantizeRow', () => {
  it.each(CASES)('$name round-trips within its step size', ({ type, block, tol }) => {
    const rng = new Rng(11 + type);
    const k = 512;
    const x = new Float32Array(k);
    // mixed scales per block and an offset, so mins and per-block scales matter
    for (let i = 0; i < k; i++) x[i] = rng.sym(1) * (1 + (Math.floor(i / 64) % 4)) + (i % 256 < 128 ? 0.3 : -0.2);
    const bytes = quantizeRow(type, x);
    expect(bytes.length).toBe(rowBytes(type, k));
    const back = refDequantize(type, bytes, k);
    expect(Array.from(dequantize(type, bytes, k))).toEqual(Array.from(back, (v) => Math.fround(v)));
    for (let b = 0; b < k; b += block) {
      let amax = 0;
      let err = 0;
      for (let i = b; i < b + block; i++) {
        amax = Math.max(amax, Math.abs(x[i] as number));
        err = Math.max(err, Math.abs((back[i] as number) - (x[i] as number)));
      }
      expect(err, `block at ${b}`).toBeLessThanOrEqual(tol * amax + (type === T.F32 ? 0 : 1e-7));
    }
  });

  it('an all-zero row stays zero, and quantized weights multiply like their dequantized values', () => {
    for (const { type } of CASES) {
      expect(dequantize(type, quantizeRow(type, new Float32Array(256)), 256).every((v) => v === 0)).toBe(true);
    }
    const rng = new Rng(4);
    const w = rng.f32(256 * 3);
    const x = rng.f32(256);
    for (const type of [T.Q4_K, T.Q6_K]) {
      const q = new Uint8Array(rowBytes(type, 256) * 3);
      for (let r = 0; r < 3; r++) q.set(quantizeRow(type, w.subarray(r * 256, (r + 1) * 256)), r * rowBytes(type, 256));
      const y = matmul(type, q, 256, 3, x, 1);
      const deq = refDequantize(type, q, 768);
      for (let r = 0; r < 3; r++) {
        let s = 0;
        for (let i = 0; i < 256; i++) s += (deq[r * 256 + i] as number) * (x[i] as number);
        expect(Math.abs((y[r] as number) - s)).toBeLessThan(0.05);
      }
    }
  });
});
