import { EngineError } from '../EngineError.ts';
import { GGML_TYPE, GGML_TYPE_INFO, ggmlTypeName } from './GGML_TYPE.ts';
import { floatToBf16, floatToHalf, halfToFloat } from './half.ts';

const fr = Math.fround;

/**
 * Encodes f32 values as ggml type `type` (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K). F16/BF16/Q8_0/Q4_0
 * follow ggml's reference quantizers; Q4_K and Q6_K use a simpler min/max scheme (valid blocks, not
 * bit-identical to llama.cpp's search-based quantizer). `values.length` must be a multiple of the block size.
 * @example const bytes = quantize(GGML_TYPE.Q8_0, new Float32Array(64))
 */
export function quantize(type: number, values: Float32Array): Uint8Array {
  const info = GGML_TYPE_INFO.get(type);
  if (!info) throw new EngineError('DTE_ERR_QUANT_UNSUPPORTED', `quantize: unknown ggml type ${type}`);
  const n = values.length;
  if (n % info.blockSize !== 0) {
    throw new EngineError(
      'DTE_ERR_QUANT_BAD_SIZE',
      `quantize: ${n} values is not a multiple of ${info.name}'s block size`,
    );
  }
  const nBlocks = n / info.blockSize;
  const out = new Uint8Array(nBlocks * info.typeSize);
  const view = new DataView(out.buffer);
  switch (type) {
    case GGML_TYPE.F32:
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, values[i]!, true);
      return out;
    case GGML_TYPE.F16:
      for (let i = 0; i < n; i++) view.setUint16(i * 2, floatToHalf(values[i]!), true);
      return out;
    case GGML_TYPE.BF16:
      for (let i = 0; i < n; i++) view.setUint16(i * 2, floatToBf16(values[i]!), true);
      return out;
    case GGML_TYPE.Q8_0:
      for (let b = 0; b < nBlocks; b++) quantizeQ8_0Block(values, b * 32, view, b * 34);
      return out;
    case GGML_TYPE.Q4_0:
      for (let b = 0; b < nBlocks; b++) quantizeQ4_0Block(values, b * 32, view, b * 18);
      return out;
    case GGML_TYPE.Q4_K:
      for (let b = 0; b < nBlocks; b++) quantizeQ4KBlock(values, b * 256, view, b * 144);
      return out;
    case GGML_TYPE.Q6_K:
      for (let b = 0; b < nBlocks; b++) quantizeQ6KBlock(values, b * 256, view, b * 210);
      return out;
    default:
      throw new EngineError('DTE_ERR_QUANT_UNSUPPORTED', `quantize: ${ggmlTypeName(type)} is not supported`);
  }
}

/** C's roundf: halves away from zero. */
function roundf(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

// ggml quantize_row_q8_0_ref: d = amax/127, q = roundf(x/d).
function quantizeQ8_0Block(x: Float32Array, i: number, v: DataView, o: number): void {
  let amax = 0;
  for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[i + j]!));
  const d = fr(amax / 127);
  const id = d ? fr(1 / d) : 0;
  v.setUint16(o, floatToHalf(d), true);
  for (let j = 0; j < 32; j++) v.setInt8(o + 2 + j, roundf(fr(x[i + j]! * id)));
}

// ggml quantize_row_q4_0_ref: d = (value of largest magnitude) / -8, q = min(15, trunc(x/d + 8.5)).
function quantizeQ4_0Block(x: Float32Array, i: number, v: DataView, o: number): void {
  let amax = 0;
  let max = 0;
  for (let j = 0; j < 32; j++) {
    const a = Math.abs(x[i + j]!);
    if (a > amax) {
      amax = a;
      max = x[i + j]!;
    }
  }
  const d = fr(max / -8);
  const id = d ? fr(1 / d) : 0;
  v.setUint16(o, floatToHalf(d), true);
  for (let j = 0; j < 16; j++) {
    const q0 = Math.min(15, Math.trunc(fr(fr(x[i + j]! * id) + 8.5)));
    const q1 = Math.min(15, Math.trunc(fr(fr(x[i + j + 16]! * id) + 8.5)));
    v.setUint8(o + 2 + j, q0 | (q1 << 4));
  }
}

// Q4_K: per sub-block of 32, x ≈ d·sc·q − dmin·m with q ∈ 0..15 and 6-bit sc, m.
function quantizeQ4KBlock(x: Float32Array, i: number, v: DataView, o: number): void {
  const scales = new Float64Array(8);
  const mins = new Float64Array(8);
  for (let s = 0; s < 8; s++) {
    let lo = 0;
    let hi = 0;
    for (let l = 0; l < 32; l++) {
      const xv = x[i + s * 32 + l]!;
      lo = Math.min(lo, xv);
      hi = Math.max(hi, xv);
    }
    scales[s] = (hi - lo) / 15;
    mins[s] = -lo;
  }
  const maxScale = Math.max(...scales);
  const maxMin = Math.max(...mins);
  const dh = floatToHalf(maxScale / 63);
  const dminh = floatToHalf(maxMin / 63);
  const d = halfToFloat(dh);
  const dmin = halfToFloat(dminh);
  const sc = new Uint8Array(8);
  const m = new Uint8Array(8);
  for (let s = 0; s < 8; s++) {
    // Round the scale up and the min up so that [−dmin·m, −dmin·m + 15·d·sc] still covers the sub-block.
    sc[s] = d > 0 ? clamp(Math.ceil(scales[s]! / d - 1e-6), 0, 63) : 0;
    m[s] = dmin > 0 ? clamp(Math.ceil(mins[s]! / dmin - 1e-6), 0, 63) : 0;
  }
  v.setUint16(o, dh, true);
  v.setUint16(o + 2, dminh, true);
  for (let j = 0; j < 4; j++) {
    v.setUint8(o + 4 + j, (sc[j]! & 63) | ((sc[j + 4]! >> 4) << 6));
    v.setUint8(o + 8 + j, (m[j]! & 63) | ((m[j + 4]! >> 4) << 6));
    v.setUint8(o + 12 + j, (sc[j + 4]! & 0xf) | ((m[j + 4]! & 0xf) << 4));
  }
  const q = new Uint8Array(256);
  for (let s = 0; s < 8; s++) {
    const step = fr(d * sc[s]!);
    const off = fr(dmin * m[s]!);
    for (let l = 0; l < 32; l++) {
      const e = s * 32 + l;
      q[e] = step > 0 ? clamp(Math.round((x[i + e]! + off) / step), 0, 15) : 0;
    }
  }
  for (let k = 0; k < 4; k++) {
    for (let l = 0; l < 32; l++) v.setUint8(o + 16 + k * 32 + l, q[k * 64 + l]! | (q[k * 64 + 32 + l]! << 4));
  }
}

// Q6_K: per sub-block of 16, x ≈ d·sc·(q − 32) with q ∈ 0..63 and int8 sc.
function quantizeQ6KBlock(x: Float32Array, i: number, v: DataView, o: number): void {
  const scales = new Float64Array(16);
  for (let s = 0; s < 16; s++) {
    let amax = 0;
    for (let l = 0; l < 16; l++) amax = Math.max(amax, Math.abs(x[i + s * 16 + l]!));
    scales[s] = amax / 31;
  }
  const dh = floatToHalf(Math.max(...scales) / 127);
  const d = halfToFloat(dh);
  const q = new Uint8Array(256);
  for (let s = 0; s < 16; s++) {
    const sc = d > 0 ? clamp(Math.ceil(scales[s]! / d - 1e-6), 0, 127) : 0;
    v.setInt8(o + 192 + s, sc);
    const step = fr(d * sc);
    for (let l = 0; l < 16; l++) {
      const e = s * 16 + l;
      q[e] = (step > 0 ? clamp(Math.round(x[i + e]! / step), -32, 31) : 0) + 32;
    }
  }
  for (let h = 0; h < 2; h++) {
    const b = h * 128;
    for (let l = 0; l < 32; l++) {
      v.setUint8(o + h * 64 + l, (q[b + l]! & 0xf) | ((q[b + l + 64]! & 0xf) << 4));
      v.setUint8(o + h * 64 + l + 32, (q[b + l + 32]! & 0xf) | ((q[b + l + 96]! & 0xf) << 4));
      v.setUint8(
        o + 128 + h * 32 + l,
        (q[b + l]! >> 4) | ((q[b + l + 32]! >> 4) << 2) | ((q[b + l + 64]! >> 4) << 4) | ((q[b + l + 96]! >> 4) << 6),
      );
    }
  }
  v.setUint16(o + 208, dh, true);
}
