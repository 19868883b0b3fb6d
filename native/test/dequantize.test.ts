import { describe, expect, it } from 'vitest';
import { dequantize, selectedIsaPaths, setIsa } from '../src/index.ts';
import { f16ToF32, f32ToBf16, f32ToF16 } from './reference/halfFloat.ts';
import { refDequantize, rowBytes, T } from './reference/refDequantize.ts';
import { Rng, randomWeights } from './reference/testData.ts';

const put16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff;
  b[o + 1] = v >> 8;
};

/** Packs 6-bit scales/mins of 8 sub-blocks into q4_K's 12 bytes (inverse of get_scale_min_k4). */
function packQ4KScales(sc: number[], mn: number[]): Uint8Array {
  const q = new Uint8Array(12);
  for (let j = 0; j < 4; j++) {
    q[j] = ((sc[j] as number) & 63) | (((sc[j + 4] as number) >> 4) << 6);
    q[j + 4] = ((mn[j] as number) & 63) | (((mn[j + 4] as number) >> 4) << 6);
    q[j + 8] = ((sc[j + 4] as number) & 0xf) | (((mn[j + 4] as number) & 0xf) << 4);
  }
  return q;
}

describe('reference dequantizers on hand-built blocks', () => {
  it('q8_0: d · q', () => {
    const b = new Uint8Array(34);
    put16(b, 0, f32ToF16(0.5));
    for (let i = 0; i < 32; i++) b[2 + i] = (i - 16) & 0xff;
    const v = refDequantize(T.Q8_0, b, 32);
    for (let i = 0; i < 32; i++) expect(v[i]).toBe(0.5 * (i - 16));
  });

  it('q4_0: low nibbles are elements 0..15, high nibbles 16..31, value (q - 8) · d', () => {
    const b = new Uint8Array(18);
    put16(b, 0, f32ToF16(2));
    for (let i = 0; i < 16; i++) b[2 + i] = (i & 0xf) | ((15 - i) << 4);
    const v = refDequantize(T.Q4_0, b, 32);
    for (let i = 0; i < 16; i++) {
      expect(v[i]).toBe(2 * (i - 8));
      expect(v[16 + i]).toBe(2 * (15 - i - 8));
    }
  });

  it('q4_K: d · scale · nibble − dmin · min per 32-element sub-block', () => {
    const sc = [1, 2, 3, 4, 40, 50, 60, 63];
    const mn = [0, 5, 10, 15, 20, 33, 47, 63];
    const b = new Uint8Array(144);
    put16(b, 0, f32ToF16(1));
    put16(b, 2, f32ToF16(0.5));
    b.set(packQ4KScales(sc, mn), 4);
    for (let i = 0; i < 128; i++) b[16 + i] = 0x31 + (i % 32 === 0 ? 1 : 0); // low 1 (2 at l=0), high 3
    const v = refDequantize(T.Q4_K, b, 256);
    for (let s = 0; s < 8; s++) {
      for (let l = 0; l < 32; l++) {
        const nib = s % 2 === 0 ? (l === 0 ? 2 : 1) : 3;
        expect(v[s * 32 + l]).toBe((sc[s] as number) * nib - 0.5 * (mn[s] as number));
      }
    }
  });

  it('q6_K: d · scale[e/16] · (q − 32) with 4 low bits in ql and 2 high bits in qh', () => {
    const b = new Uint8Array(210);
    put16(b, 208, f32ToF16(0.25));
    for (let g = 0; g < 16; g++) b[192 + g] = (g - 8) & 0xff;
    // every element holds q = 37 (low 5 = 0b0101, high 2 = 0b10): ql bytes 0x55, qh bytes 0b10101010
    b.fill(0x55, 0, 128);
    b.fill(0xaa, 128, 192);
    const v = refDequantize(T.Q6_K, b, 256);
    for (let e = 0; e < 256; e++) expect(v[e]).toBe(0.25 * (Math.floor(e / 16) - 8) * (37 - 32));
    // element 64 of the first half reads ql[0] high nibble and qh[0] bits 4..5
    b[0] = 0xf5;
    b[128] = 0b00110000 | 0b10001010;
    expect(refDequantize(T.Q6_K, b, 256)[64]).toBe(0.25 * (4 - 8) * (63 - 32));
  });

  it('f16 and bf16 decode known bit patterns', () => {
    expect(f16ToF32(0x3c00)).toBe(1);
    expect(f16ToF32(0xc000)).toBe(-2);
    expect(f16ToF32(0x0001)).toBe(2 ** -24);
    expect(f32ToBf16(1)).toBe(0x3f80);
    const b = new Uint8Array(4);
    put16(b, 0, 0x3f80);
    put16(b, 2, 0xc040);
    expect(Array.from(refDequantize(T.BF16, b, 2))).toEqual([1, -3]);
  });
});

const TYPES: Array<[string, number, number]> = [
  ['f32', T.F32, 67],
  ['f16', T.F16, 67],
  ['bf16', T.BF16, 67],
  ['q8_0', T.Q8_0, 96],
  ['q4_0', T.Q4_0, 96],
  ['q4_K', T.Q4_K, 512],
  ['q6_K', T.Q6_K, 512],
];

describe.each(selectedIsaPaths())('native dequantize (%s)', (isa) => {
  it.each(TYPES)('%s matches the reference exactly', (_name, type, k) => {
    setIsa(isa);
    const data = randomWeights(type, k, 3, new Rng(type + 7));
    const got = dequantize(type, data, 3 * k);
    const want = refDequantize(type, data, 3 * k);
    expect(got.length).toBe(3 * k);
    for (let i = 0; i < 3 * k; i++) expect(got[i]).toBeCloseTo(want[i] as number, 5);
    expect(rowBytes(type, k) * 3).toBe(data.length);
  });
});
