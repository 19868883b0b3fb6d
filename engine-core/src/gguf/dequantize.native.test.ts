// Consistency test: this TypeScript reference against @dte/native's C++ kernels (two independent
// implementations of ggml's formats), bit for bit, on random blocks of every supported type.
import * as native from '@dte/native';
import { describe, expect, it } from 'vitest';
import { dequantize } from './dequantize.ts';
import { GGML_TYPE, GGML_TYPE_INFO } from './GGML_TYPE.ts';
import { floatToHalf } from './half.ts';
import { quantize } from './quantize.ts';

function nativeLoads(): boolean {
  try {
    native.loadBinding();
    return true;
  } catch (err) {
    console.warn(`[skip] @dte/native does not load (${(err as Error).message.split('\n')[0]}): cross-check skipped.`);
    return false;
  }
}

/** mulberry32 */
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

/** Random bytes, with every f16 scale field set to a finite value so results are comparable. */
function randomBlocks(type: number, nBlocks: number, seed: number): Uint8Array {
  const r = rng(seed);
  const info = GGML_TYPE_INFO.get(type)!;
  const b = new Uint8Array(nBlocks * info.typeSize);
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
  const half = (at: number) => {
    const h = floatToHalf((r() * 2 - 1) * 2 ** Math.floor(r() * 12 - 8));
    b[at] = h & 0xff;
    b[at + 1] = h >> 8;
  };
  for (let k = 0; k < nBlocks; k++) {
    const o = k * info.typeSize;
    if (type === GGML_TYPE.Q8_0 || type === GGML_TYPE.Q4_0) half(o);
    if (type === GGML_TYPE.Q4_K) {
      half(o);
      half(o + 2);
    }
    if (type === GGML_TYPE.Q6_K) half(o + 208);
  }
  if (type === GGML_TYPE.F16) for (let i = 0; i < b.length; i += 2) half(i);
  const v = new DataView(b.buffer);
  if (type === GGML_TYPE.F32)
    for (let i = 0; i < b.length; i += 4) v.setFloat32(i, (r() * 2 - 1) * 2 ** (r() * 40 - 20), true);
  if (type === GGML_TYPE.BF16) {
    for (let i = 0; i < b.length; i += 2)
      if (((v.getUint16(i, true) >> 7) & 0xff) === 0xff) v.setUint16(i, 0x3f80, true);
  }
  return b;
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return a.length === b.length && ua.every((x, i) => x === ub[i]);
}

describe.skipIf(!nativeLoads())('dequantize agrees with @dte/native bit for bit', () => {
  const isas = ['generic', 'avx2', 'amx'] as const;
  for (const [name, type] of Object.entries(GGML_TYPE)) {
    it(`${name}: random blocks, every ISA path`, () => {
      const info = GGML_TYPE_INFO.get(type)!;
      const n = info.blockSize * (info.blockSize === 1 ? 4096 : 64);
      const bytes = randomBlocks(type, n / info.blockSize, type + 1);
      const ours = dequantize(type, bytes, n);
      const before = native.cpuInfo();
      try {
        for (const isa of isas) {
          if (!before.available.includes(isa)) continue;
          native.setIsa(isa);
          const theirs = native.dequantize(type, bytes, n);
          expect(sameBits(ours, theirs), `${name} on ${isa}`).toBe(true);
        }
      } finally {
        native.setIsa(before.isa);
      }
    });
  }

  it('quantize (F16, BF16, Q8_0, Q4_0) matches native quantizeRow byte for byte (both follow ggml reference)', () => {
    const r = rng(5);
    const x = new Float32Array(32 * 64).map(() => (r() * 2 - 1) * 2 ** Math.floor(r() * 10 - 5));
    for (const type of [GGML_TYPE.F16, GGML_TYPE.BF16, GGML_TYPE.Q8_0, GGML_TYPE.Q4_0]) {
      expect(Buffer.from(quantize(type, x)).equals(native.quantizeRow(type, x)), `type ${type}`).toBe(true);
    }
  });
});
