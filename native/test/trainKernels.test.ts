import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cpuInfo,
  crossEntropy,
  gemmF32,
  getNumThreads,
  type IsaName,
  rmsNormBackward,
  selectedIsaPaths,
  setIsa,
  setNumThreads,
  siluMulBackward,
} from '../src/index.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

let seed = 12345;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32 - 0.5;
};
const randn = (n: number) => Float32Array.from({ length: n }, rand);

/** op(a)·op(b) in float64, row-major, as gemmF32 documents it. */
function refGemm(ta: boolean, tb: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!;
      c[i * n + j] = s;
    }
  return c;
}

const maxRelDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return d;
};

// Every micro-kernel this CPU can run: portable 6x16, AVX2 6x16, AVX-512 12x32 (the AMX path).
describe.each(selectedIsaPaths())('gemmF32 on the %s path', (isa) => {
  let before: IsaName;
  beforeAll(() => {
    before = cpuInfo().isa;
    expect(setIsa(isa)).toBe(isa);
  });
  afterAll(() => {
    setIsa(before);
  });
  // Sizes cross every blocking boundary: 6/12-row and 16/32-column tiles, 72-row blocks, 256-deep and
  // 1024-wide panels.
  const shapes = [
    [1, 1, 1],
    [6, 16, 8],
    [7, 17, 9],
    [12, 32, 5],
    [75, 33, 300],
    [13, 1100, 40],
  ] as const;
  for (const ta of [false, true])
    for (const tb of [false, true])
      it(`op(a)·op(b) with transA ${ta}, transB ${tb}, overwriting and accumulating`, () => {
        for (const [m, n, k] of shapes) {
          const a = randn(m * k);
          const b = randn(k * n);
          const want = refGemm(ta, tb, m, n, k, a, b);
          const c = randn(m * n);
          gemmF32(ta, tb, m, n, k, a, b, c, false);
          expect(maxRelDiff(c, want)).toBeLessThan(1e-5);
          const start = randn(m * n);
          const acc = start.slice();
          gemmF32(ta, tb, m, n, k, a, b, acc, true);
          expect(
            maxRelDiff(
              acc,
              Float64Array.from(want, (v, i) => v + start[i]!),
            ),
          ).toBeLessThan(1e-5);
        }
      });

  it('gives bit-identical results on 1 thread and on every thread', () => {
    const [m, n, k] = [150, 70, 600];
    const a = randn(m * k);
    const b = randn(n * k);
    const before = getNumThreads();
    try {
      setNumThreads(1);
      const one = new Float32Array(m * n);
      gemmF32(true, true, m, n, k, a, b, one, false);
      setNumThreads(Math.max(2, before));
      const many = new Float32Array(m * n);
      gemmF32(true, true, m, n, k, a, b, many, false);
      expect(many).toEqual(one);
    } finally {
      setNumThreads(before);
    }
  });
});

describe('training kernels reject bad arguments with a code, never crash', () => {
  const BAD = 'DTE_ERR_NATIVE_BAD_ARGUMENT';
  const f = (n: number) => new Float32Array(n);
  it.each<[string, () => unknown]>([
    ['gemm: short a', () => gemmF32(false, false, 4, 4, 4, f(15), f(16), f(16), false)],
    ['gemm: short c', () => gemmF32(false, false, 4, 4, 4, f(16), f(16), f(15), false)],
    ['gemm: zero m', () => gemmF32(false, false, 0, 4, 4, f(16), f(16), f(16), false)],
    ['gemm: fractional k', () => gemmF32(false, false, 4, 4, 1.5, f(16), f(16), f(16), false)],
    ['gemm: transA not a boolean', () => gemmF32(1 as unknown as boolean, false, 4, 4, 4, f(16), f(16), f(16), false)],
    [
      'gemm: a Float64Array',
      () => gemmF32(false, false, 2, 2, 2, new Float64Array(4) as unknown as Float32Array, f(4), f(4), false),
    ],
    [
      'gemm: c overlaps a',
      () => {
        const buf = f(32);
        gemmF32(false, false, 4, 4, 4, buf.subarray(0, 16), f(16), buf.subarray(8, 24), false);
      },
    ],
    ['gemm: huge shapes', () => gemmF32(false, false, 2 ** 24, 2 ** 24, 1, f(1), f(1), f(1), false)],
    ['rmsNormBackward: short dw', () => rmsNormBackward(f(8), f(8), f(4), 2, 4, 1e-5, f(8), f(3))],
    ['rmsNormBackward: negative eps', () => rmsNormBackward(f(8), f(8), f(4), 2, 4, -1, f(8), f(4))],
    ['siluMulBackward: short dUp', () => siluMulBackward(f(8), f(8), f(8), f(8), f(7))],
    ['crossEntropy: target ≥ v', () => crossEntropy(f(6), Int32Array.from([0, 3]), 2, 3, f(6))],
    ['crossEntropy: short targets', () => crossEntropy(f(6), Int32Array.from([0]), 2, 3, f(6))],
    [
      'crossEntropy: dLogits is logits',
      () => {
        const l = f(6);
        return crossEntropy(l, Int32Array.from([0, 1]), 2, 3, l);
      },
    ],
  ])('%s', (_, fn) => {
    expect(codeOf(fn)).toBe(BAD);
  });
});
