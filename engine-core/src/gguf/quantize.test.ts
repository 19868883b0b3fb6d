import { describe, expect, it } from 'vitest';
import { dequantize } from './dequantize.ts';
import { GGML_TYPE, GGML_TYPE_INFO } from './GGML_TYPE.ts';
import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from './half.ts';
import { quantize } from './quantize.ts';

/** mulberry32: a small seeded PRNG for reproducible test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function data(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Mixed scales per 32-block: some blocks tiny, some large, some with an outlier; a few all-zero.
    const scale = [0.01, 1, 30][Math.floor(i / 32) % 3]!;
    x[i] = Math.floor(i / 256) % 7 === 6 ? 0 : (r() * 2 - 1) * scale * (r() < 0.02 ? 4 : 1);
  }
  return x;
}

function blockMaxAbs(x: Float32Array, i: number, size: number): number {
  let m = 0;
  const start = Math.floor(i / size) * size;
  for (let j = start; j < start + size; j++) m = Math.max(m, Math.abs(x[j]!));
  return m;
}

describe('half / bf16 conversions', () => {
  it('round trip every f16 value and round to nearest even', () => {
    for (let h = 0; h < 65536; h++) {
      const f = halfToFloat(h);
      if (Number.isNaN(f)) expect(Number.isNaN(halfToFloat(floatToHalf(f)))).toBe(true);
      else expect(floatToHalf(f)).toBe(h);
    }
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(floatToHalf(70000)).toBe(0x7c00); // overflow → inf
    expect(floatToHalf(2 ** -26)).toBe(0); // below half the smallest subnormal
  });

  it('bf16 rounds to nearest even and keeps NaN', () => {
    expect(floatToBf16(1)).toBe(0x3f80);
    expect(bf16ToFloat(floatToBf16(1 + 2 ** -8))).toBe(1); // tie → even
    expect(bf16ToFloat(floatToBf16(1 + 3 * 2 ** -8))).toBe(1 + 2 ** -6);
    expect(Number.isNaN(bf16ToFloat(floatToBf16(Number.NaN)))).toBe(true);
  });
});

describe('quantize → dequantize error bounds', () => {
  const n = 256 * 21;
  const x = data(n, 7);

  // Bound on |x - y| per element, from each format's step size (see quantize.ts).
  const cases: Array<[string, number, (i: number) => number]> = [
    ['F32', GGML_TYPE.F32, () => 0],
    ['F16', GGML_TYPE.F16, (i) => Math.abs(x[i]!) * 2 ** -11 + 2 ** -25],
    ['BF16', GGML_TYPE.BF16, (i) => Math.abs(x[i]!) * 2 ** -8],
    ['Q8_0', GGML_TYPE.Q8_0, (i) => (blockMaxAbs(x, i, 32) / 127) * 0.5 + blockMaxAbs(x, i, 32) * 1e-3],
    ['Q4_0', GGML_TYPE.Q4_0, (i) => blockMaxAbs(x, i, 32) / 8 + blockMaxAbs(x, i, 32) * 1e-3],
    ['Q4_K', GGML_TYPE.Q4_K, (i) => (2 * blockMaxAbs(x, i, 32)) / 30 + (3 * blockMaxAbs(x, i, 256)) / 63],
    ['Q6_K', GGML_TYPE.Q6_K, (i) => blockMaxAbs(x, i, 16) / 62 + (2 * blockMaxAbs(x, i, 256)) / (31 * 127)],
  ];

  for (const [name, type, bound] of cases) {
    it(`${name}: every element within its bound; exact size`, () => {
      const q = quantize(type, x);
      const info = GGML_TYPE_INFO.get(type)!;
      expect(q.byteLength).toBe((n / info.blockSize) * info.typeSize);
      const y = dequantize(type, q, n);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const err = Math.abs(x[i]! - y[i]!);
        const b = bound(i) + 1e-7;
        worst = Math.max(worst, err / b);
        if (err > b) expect.fail(`${name}: element ${i}: |${x[i]} - ${y[i]}| = ${err} > ${b}`);
      }
      expect(worst).toBeLessThanOrEqual(1);
    });
  }

  it('Q8_0 follows ggml reference rounding (roundf, half away from zero)', () => {
    const v = new Float32Array(32);
    v[0] = 127;
    v[1] = 2.5;
    v[2] = -2.5;
    const y = dequantize(GGML_TYPE.Q8_0, quantize(GGML_TYPE.Q8_0, v), 32);
    expect([y[0], y[1], y[2]]).toEqual([127, 3, -3]);
  });

  it('rejects sizes that are not a multiple of the block', () => {
    expect(() => quantize(GGML_TYPE.Q4_K, new Float32Array(32))).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_QUANT_BAD_SIZE' }),
    );
    expect(() => quantize(GGML_TYPE_INFO.size + 100, new Float32Array(32))).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_QUANT_UNSUPPORTED' }),
    );
  });
});
