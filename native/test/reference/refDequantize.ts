// Reference dequantizers for every supported ggml type, written element by element from the block
// layouts (native/src/kernels/cpu/quants.h describes them): element e of a block → its bytes.
import { bf16ToF32, f16ToF32 } from './halfFloat.ts';

export const T = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8, Q4_K: 12, Q6_K: 14, BF16: 30 } as const;
export const BLOCK: Record<number, { size: number; bytes: number }> = {
  0: { size: 1, bytes: 4 },
  1: { size: 1, bytes: 2 },
  30: { size: 1, bytes: 2 },
  2: { size: 32, bytes: 18 },
  8: { size: 32, bytes: 34 },
  12: { size: 256, bytes: 144 },
  14: { size: 256, bytes: 210 },
};

const u16 = (b: Uint8Array, o: number): number => (b[o] as number) | ((b[o + 1] as number) << 8);
const i8 = (b: Uint8Array, o: number): number => ((b[o] as number) << 24) >> 24;

/** 6-bit scale and min of sub-block j (0..7) from the 12 packed bytes at `o`. */
export function q4kScaleMin(b: Uint8Array, o: number, j: number): [number, number] {
  const q = (i: number): number => b[o + i] as number;
  if (j < 4) return [q(j) & 63, q(j + 4) & 63];
  return [(q(j + 4) & 0xf) | ((q(j - 4) >> 6) << 4), (q(j + 4) >> 4) | ((q(j) >> 6) << 4)];
}

/** Value of element e (0..255) of the q6_K block at `o`. */
function q6kElement(b: Uint8Array, o: number, e: number): number {
  const half = e >> 7;
  const p = e & 127;
  const l = p & 31;
  const quarter = p >> 5; // 0: ql[l] low, 1: ql[l+32] low, 2: ql[l] high, 3: ql[l+32] high
  const qlByte = b[o + half * 64 + l + (quarter & 1) * 32] as number;
  const low = quarter < 2 ? qlByte & 0xf : qlByte >> 4;
  const high = ((b[o + 128 + half * 32 + l] as number) >> (2 * quarter)) & 3;
  const q = (low | (high << 4)) - 32;
  const scale = i8(b, o + 192 + (e >> 4));
  return f16ToF32(u16(b, o + 208)) * scale * q;
}

/** Element e of a row of type `type` starting at byte 0 of `b`. */
export function refElement(type: number, b: Uint8Array, e: number): number {
  switch (type) {
    case T.F32:
      return new DataView(b.buffer, b.byteOffset).getFloat32(4 * e, true);
    case T.F16:
      return f16ToF32(u16(b, 2 * e));
    case T.BF16:
      return bf16ToF32(u16(b, 2 * e));
    case T.Q8_0: {
      const o = Math.floor(e / 32) * 34;
      return f16ToF32(u16(b, o)) * i8(b, o + 2 + (e % 32));
    }
    case T.Q4_0: {
      const o = Math.floor(e / 32) * 18;
      const i = e % 32;
      const byte = b[o + 2 + (i % 16)] as number;
      const nib = i < 16 ? byte & 0xf : byte >> 4;
      return f16ToF32(u16(b, o)) * (nib - 8);
    }
    case T.Q4_K: {
      const o = Math.floor(e / 256) * 144;
      const i = e % 256;
      const sub = i >> 5; // sub-block of 32
      const [sc, mn] = q4kScaleMin(b, o + 4, sub);
      const byte = b[o + 16 + (sub >> 1) * 32 + (i & 31)] as number;
      const nib = sub % 2 === 0 ? byte & 0xf : byte >> 4;
      return f16ToF32(u16(b, o)) * sc * nib - f16ToF32(u16(b, o + 2)) * mn;
    }
    case T.Q6_K:
      return q6kElement(b, Math.floor(e / 256) * 210, e % 256);
    default:
      throw new Error(`no reference for type ${type}`);
  }
}

/** Reference dequantisation of n elements (as f64 numbers in a Float64Array). */
export function refDequantize(type: number, b: Uint8Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let e = 0; e < n; e++) out[e] = refElement(type, b, e);
  return out;
}

/** Bytes of a row of k elements. */
export function rowBytes(type: number, k: number): number {
  const bl = BLOCK[type];
  if (bl === undefined) throw new Error(`unknown type ${type}`);
  return (k / bl.size) * bl.bytes;
}
