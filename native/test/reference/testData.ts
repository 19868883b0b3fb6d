// Seeded random test data: f32 vectors and weight rows of every ggml type with realistic scales.
import { f32ToBf16, f32ToF16 } from './halfFloat.ts';
import { rowBytes, T } from './refDequantize.ts';

/** mulberry32: small seeded PRNG (uniform in [0, 1)). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform in [-a, a). */
  sym(a: number): number {
    return (this.next() * 2 - 1) * a;
  }
  f32(n: number, a = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.sym(a);
    return out;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}

function putU16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >> 8) & 0xff;
}

/** n rows of k random elements of `type` (quantized blocks: random codes, random small f16 scales). */
export function randomWeights(type: number, k: number, n: number, rng: Rng): Uint8Array {
  const rb = rowBytes(type, k);
  if (type === T.F32) return new Uint8Array(rng.f32(k * n).buffer);
  if (type === T.F16 || type === T.BF16) {
    const out = new Uint8Array(rb * n);
    for (let i = 0; i < k * n; i++) putU16(out, 2 * i, type === T.F16 ? f32ToF16(rng.sym(1)) : f32ToBf16(rng.sym(1)));
    return out;
  }
  const b = rng.bytes(rb * n);
  const scale = (lo: number, hi: number): number => f32ToF16(lo + rng.next() * (hi - lo));
  if (type === T.Q8_0)
    for (let o = 0; o < b.length; o += 34) putU16(b, o, scale(0.002, 0.01) | (rng.next() < 0.5 ? 0x8000 : 0));
  if (type === T.Q4_0)
    for (let o = 0; o < b.length; o += 18) putU16(b, o, scale(0.02, 0.1) | (rng.next() < 0.5 ? 0x8000 : 0));
  if (type === T.Q4_K) {
    for (let o = 0; o < b.length; o += 144) {
      putU16(b, o, scale(0.0005, 0.002));
      putU16(b, o + 2, scale(0.0005, 0.002));
    }
  }
  if (type === T.Q6_K) for (let o = 0; o < b.length; o += 210) putU16(b, o + 208, scale(0.0005, 0.002));
  return b;
}
