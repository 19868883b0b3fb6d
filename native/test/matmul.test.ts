import { afterAll, describe, expect, it } from 'vitest';
import { getNumThreads, matmul, selectedIsaPaths, setIsa, setNumThreads } from '../src/index.ts';
import { T } from './reference/refDequantize.ts';
import { refMatmul, relErr } from './reference/refOps.ts';
import { Rng, randomWeights } from './reference/testData.ts';

// Tolerances, relative to the output scale (max |reference output|):
//   f32/f16/bf16 weights (f32 activations, f32 accumulation): 1e-5
//   quantized weights (activations quantized to q8_0 / q8_K on the fly): 1e-2
const CASES: Array<{ name: string; type: number; k: number; tol: number }> = [
  { name: 'f32', type: T.F32, k: 77, tol: 1e-5 },
  { name: 'f16', type: T.F16, k: 77, tol: 1e-5 },
  { name: 'bf16', type: T.BF16, k: 45, tol: 1e-5 },
  { name: 'q8_0', type: T.Q8_0, k: 160, tol: 1e-2 },
  { name: 'q4_0', type: T.Q4_0, k: 160, tol: 1e-2 },
  { name: 'q4_K', type: T.Q4_K, k: 512, tol: 1e-2 },
  { name: 'q6_K', type: T.Q6_K, k: 512, tol: 1e-2 },
];
const MS = [1, 2, 3, 6, 17, 64]; // 2, 3, 6: the two- and three-row kernels; 17: a single-row remainder
const N = 37; // odd: tiles and thread chunks do not divide it

const initialThreads = getNumThreads();
afterAll(() => {
  setNumThreads(initialThreads);
});

describe.each(selectedIsaPaths())('matmul on the %s path', (isa) => {
  it.each(CASES)('$name weights, m = 1, 2, 3, 6, 17, 64 vs the f64 reference', ({ type, k, tol }) => {
    setIsa(isa);
    const rng = new Rng(1000 + type);
    const w = randomWeights(type, k, N, rng);
    for (const m of MS) {
      const x = rng.f32(m * k);
      const y = matmul(type, w, k, N, x, m);
      expect(y.length).toBe(m * N);
      const err = relErr(y, refMatmul(type, w, k, N, x, m));
      expect(err, `m=${m}`).toBeLessThanOrEqual(tol);
    }
  });
});

describe.runIf(selectedIsaPaths().includes('amx'))('matmul through AMX int8 tiles', () => {
  // The AMX path takes whole groups of 16 activation rows when the weight rows come in 16s; the same
  // integer dot products as the AVX2 path, so only the f32 summation order differs.
  it.each([
    { name: 'q8_0', type: T.Q8_0, k: 320 },
    { name: 'q4_K', type: T.Q4_K, k: 768 },
  ])('$name weights, n = 48, m = 16, 35, 64: equal to the reference and to the AVX2 path', ({ type, k }) => {
    const rng = new Rng(77 + type);
    const w = randomWeights(type, k, 48, rng);
    for (const m of [16, 35, 64]) {
      const x = rng.f32(m * k);
      setIsa('amx');
      const amx = matmul(type, w, k, 48, x, m);
      setIsa('avx2');
      const avx2 = matmul(type, w, k, 48, x, m);
      expect(relErr(amx, refMatmul(type, w, k, 48, x, m)), `m=${m}`).toBeLessThanOrEqual(1e-2);
      expect(relErr(amx, avx2), `m=${m}`).toBeLessThanOrEqual(1e-5);
      // Proof that the tile path ran: its f32 sums are added in another order, so some bits differ.
      expect(Array.from(amx)).not.toEqual(Array.from(avx2));
    }
    setIsa('amx');
  });
});

describe('matmul invariants', () => {
  it('both paths agree, and 1 thread gives the same result as the pool', () => {
    const rng = new Rng(5);
    for (const { type, k, tol } of CASES) {
      const w = randomWeights(type, k, 50, rng);
      const x = rng.f32(5 * k);
      setIsa('generic');
      const g = matmul(type, w, k, 50, x, 5);
      for (const isa of selectedIsaPaths()) {
        setIsa(isa);
        expect(relErr(matmul(type, w, k, 50, x, 5), g)).toBeLessThanOrEqual(tol);
      }
      setNumThreads(1);
      const one = matmul(type, w, k, 50, x, 5);
      setNumThreads(initialThreads);
      expect(Array.from(matmul(type, w, k, 50, x, 5))).toEqual(Array.from(one));
    }
  });

  it('reads weights through an unaligned view (f32 rows copied to aligned memory)', () => {
    const rng = new Rng(9);
    const w = randomWeights(T.F32, 33, 7, rng);
    const shifted = new Uint8Array(w.length + 1).subarray(1);
    shifted.set(w);
    const x = rng.f32(33 * 2);
    expect(relErr(matmul(T.F32, shifted, 33, 7, x, 2), refMatmul(T.F32, w, 33, 7, x, 2))).toBeLessThan(1e-5);
  });

  it('f16 weights decode subnormals, the largest half and signed zeros on every path', () => {
    const bits = [0x3c00, 0xc000, 0x0001, 0x03ff, 0x8200, 0x7bff, 0x8000, 0x0400, 0xfbff];
    const k = bits.length;
    const w = new Uint8Array(2 * k);
    bits.forEach((b, i) => {
      w[2 * i] = b & 0xff;
      w[2 * i + 1] = b >> 8;
    });
    const x = Float32Array.from(bits.map((_, i) => (i % 2 === 0 ? 1 : 0.5)));
    const want = refMatmul(T.F16, w, k, 1, x, 1);
    for (const isa of selectedIsaPaths()) {
      setIsa(isa);
      expect(matmul(T.F16, w, k, 1, x, 1)[0]).toBeCloseTo(want[0] as number, 3);
      // one weight at a time: each decoded value exactly
      bits.forEach((_, i) => {
        const e = new Float32Array(k);
        e[i] = 1;
        expect(matmul(T.F16, w, k, 1, e, 1)[0]).toBe(Math.fround(refMatmul(T.F16, w, k, 1, e, 1)[0] as number));
      });
    }
  });

  it('a row of zeros gives zeros (quantizer handles an all-zero block)', () => {
    const rng = new Rng(3);
    for (const type of [T.Q8_0, T.Q4_0, T.Q4_K, T.Q6_K]) {
      const k = type === T.Q4_K || type === T.Q6_K ? 256 : 64;
      const y = matmul(type, randomWeights(type, k, 4, rng), k, 4, new Float32Array(k), 1);
      expect(Array.from(y)).toEqual([0, 0, 0, 0]);
    }
  });
});
