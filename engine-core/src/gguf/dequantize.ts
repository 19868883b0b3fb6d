import { EngineError } from '../EngineError.ts';
import { GGML_TYPE, GGML_TYPE_INFO, ggmlTypeName } from './GGML_TYPE.ts';
import { bf16ToFloat, halfToFloatTable } from './half.ts';

const fr = Math.fround;

/**
 * Decodes `nElements` values of ggml type `type` from `data` to f32, bit-exact with ggml's scalar
 * reference (`dequantize_row_*`): every product is rounded to f32 as C does.
 * Supports F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K.
 * @example const w = dequantize(t.type, t.data, t.nElements)
 */
export function dequantize(type: number, data: Uint8Array, nElements: number): Float32Array {
  const info = GGML_TYPE_INFO.get(type);
  if (!info) throw new EngineError('DTE_ERR_QUANT_UNSUPPORTED', `dequantize: unknown ggml type ${type}`);
  if (!Number.isSafeInteger(nElements) || nElements < 0 || nElements % info.blockSize !== 0) {
    throw new EngineError(
      'DTE_ERR_QUANT_BAD_SIZE',
      `dequantize: ${nElements} elements is not a multiple of ${info.name}'s block size ${info.blockSize}`,
    );
  }
  const nBlocks = nElements / info.blockSize;
  if (data.byteLength < nBlocks * info.typeSize) {
    throw new EngineError(
      'DTE_ERR_QUANT_BAD_SIZE',
      `dequantize: ${info.name} needs ${nBlocks * info.typeSize} bytes for ${nElements} elements, got ${data.byteLength}`,
    );
  }
  const out = new Float32Array(nElements);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const h = halfToFloatTable();
  switch (type) {
    case GGML_TYPE.F32:
      for (let i = 0; i < nElements; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case GGML_TYPE.F16:
      for (let i = 0; i < nElements; i++) out[i] = h[view.getUint16(i * 2, true)]!;
      return out;
    case GGML_TYPE.BF16:
      for (let i = 0; i < nElements; i++) out[i] = bf16ToFloat(view.getUint16(i * 2, true));
      return out;
    case GGML_TYPE.Q8_0:
      // block_q8_0 { f16 d; int8 qs[32] }: x = qs[j] * d
      for (let b = 0; b < nBlocks; b++) {
        const p = b * 34;
        const d = h[view.getUint16(p, true)]!;
        for (let j = 0; j < 32; j++) out[b * 32 + j] = fr(view.getInt8(p + 2 + j) * d);
      }
      return out;
    case GGML_TYPE.Q4_0:
      // block_q4_0 { f16 d; u8 qs[16] }: low nibbles are x[0..15], high nibbles x[16..31], minus 8
      for (let b = 0; b < nBlocks; b++) {
        const p = b * 18;
        const d = h[view.getUint16(p, true)]!;
        for (let j = 0; j < 16; j++) {
          const q = data[p + 2 + j]!;
          out[b * 32 + j] = fr(((q & 0xf) - 8) * d);
          out[b * 32 + j + 16] = fr(((q >> 4) - 8) * d);
        }
      }
      return out;
    case GGML_TYPE.Q4_K:
      for (let b = 0; b < nBlocks; b++) dequantizeQ4KBlock(data, b * 144, h, out, b * 256);
      return out;
    case GGML_TYPE.Q6_K:
      for (let b = 0; b < nBlocks; b++) dequantizeQ6KBlock(data, b * 210, h, out, b * 256);
      return out;
    default:
      throw new EngineError('DTE_ERR_QUANT_UNSUPPORTED', `dequantize: ${ggmlTypeName(type)} is not supported`);
  }
}

/** The 6-bit scale and min of sub-block j (0..7) packed in Q4_K's 12 scale bytes (ggml's get_scale_min_k4). */
export function scaleMinK4(scales: Uint8Array, at: number, j: number): [number, number] {
  if (j < 4) return [scales[at + j]! & 63, scales[at + j + 4]! & 63];
  const sc = (scales[at + j + 4]! & 0xf) | ((scales[at + j - 4]! >> 6) << 4);
  const m = (scales[at + j + 4]! >> 4) | ((scales[at + j]! >> 6) << 4);
  return [sc, m];
}

// block_q4_K { f16 d; f16 dmin; u8 scales[12]; u8 qs[128] }: 8 sub-blocks of 32,
// x = d*sc*q - dmin*m; each 32 bytes of qs hold two sub-blocks (low nibbles, then high nibbles).
function dequantizeQ4KBlock(data: Uint8Array, p: number, h: Float32Array, out: Float32Array, o: number): void {
  const d = h[data[p]! | (data[p + 1]! << 8)]!;
  const dmin = h[data[p + 2]! | (data[p + 3]! << 8)]!;
  const sc = p + 4;
  let q = p + 16;
  for (let j = 0, is = 0; j < 256; j += 64, is += 2) {
    const [s1, m1] = scaleMinK4(data, sc, is);
    const [s2, m2] = scaleMinK4(data, sc, is + 1);
    const d1 = fr(d * s1);
    const mm1 = fr(dmin * m1);
    const d2 = fr(d * s2);
    const mm2 = fr(dmin * m2);
    for (let l = 0; l < 32; l++) out[o + j + l] = fr(fr(d1 * (data[q + l]! & 0xf)) - mm1);
    for (let l = 0; l < 32; l++) out[o + j + 32 + l] = fr(fr(d2 * (data[q + l]! >> 4)) - mm2);
    q += 32;
  }
}

// block_q6_K { u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d }: 6-bit q = 4 low bits from ql, 2 high
// bits from qh, minus 32; x = d * scale[sub-block of 16] * q. Two halves of 128 values each.
function dequantizeQ6KBlock(data: Uint8Array, p: number, h: Float32Array, out: Float32Array, o: number): void {
  const d = h[data[p + 208]! | (data[p + 209]! << 8)]!;
  for (let half = 0; half < 2; half++) {
    const ql = p + half * 64;
    const qh = p + 128 + half * 32;
    const sc = p + 192 + half * 8;
    const y = o + half * 128;
    for (let l = 0; l < 32; l++) {
      const is = l >> 4;
      const hb = data[qh + l]!;
      const q1 = ((data[ql + l]! & 0xf) | ((hb & 3) << 4)) - 32;
      const q2 = ((data[ql + l + 32]! & 0xf) | (((hb >> 2) & 3) << 4)) - 32;
      const q3 = ((data[ql + l]! >> 4) | (((hb >> 4) & 3) << 4)) - 32;
      const q4 = ((data[ql + l + 32]! >> 4) | (((hb >> 6) & 3) << 4)) - 32;
      out[y + l] = fr(fr(d * int8(data[sc + is]!)) * q1);
      out[y + l + 32] = fr(fr(d * int8(data[sc + is + 2]!)) * q2);
      out[y + l + 64] = fr(fr(d * int8(data[sc + is + 4]!)) * q3);
      out[y + l + 96] = fr(fr(d * int8(data[sc + is + 6]!)) * q4);
    }
  }
}

function int8(b: number): number {
  return (b << 24) >> 24;
}
