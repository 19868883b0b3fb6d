import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from '../gguf/half.ts';

const fr = Math.fround;

/**
 * How a matmul rounds its activation rows before the dot products with the weights:
 * `f32` leaves them alone; `f16` / `bf16` round each value to that format; `q8_0` quantizes blocks of
 * 32 to int8 with an f16 scale (ggml's `quantize_row_q8_0`); `q8_K` blocks of 256 with an f32 scale
 * (ggml's `quantize_row_q8_K`).
 */
export type ActivationScheme = 'f32' | 'f16' | 'bf16' | 'q8_0' | 'q8_K';

/**
 * The scheme of ggml's generic CPU path (each weight type's `vec_dot_type`), by ggml type id:
 * Q8_0/Q4_0 weights meet Q8_0 activations, Q4_K/Q6_K meet Q8_K, BF16 meets bf16, F16 meets f16.
 * Some of llama.cpp's CPU variants differ (its AMX and llamafile paths keep f32 activations for F16
 * weights), which is why the parity tests detect the scheme instead of assuming it.
 */
export const GGML_VEC_DOT_SCHEME: Readonly<Record<number, ActivationScheme>> = {
  0: 'f32',
  1: 'f16',
  30: 'bf16',
  8: 'q8_0',
  2: 'q8_0',
  12: 'q8_K',
  14: 'q8_K',
};

/**
 * The scheme the native kernels use for each weight type: float weights (F32, F16, BF16) keep f32
 * activations; the integer formats quantize them as ggml does (Q8_0 for Q8_0/Q4_0, Q8_K for Q4_K/Q6_K).
 */
export const NATIVE_ACTIVATION_SCHEME: Readonly<Record<number, ActivationScheme>> = {
  0: 'f32',
  1: 'f32',
  30: 'f32',
  8: 'q8_0',
  2: 'q8_0',
  12: 'q8_K',
  14: 'q8_K',
};

/**
 * Rounds an activation row by `scheme` (see {@link ActivationScheme}); returns a new array. The
 * reference model uses it to reproduce another implementation's rounding, so that the two can be
 * compared tightly. Rows must be whole blocks (32 for q8_0, 256 for q8_K).
 * @example const xr = roundActivations('q8_0', x)
 */
export function roundActivations(scheme: ActivationScheme, x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  switch (scheme) {
    case 'q8_0':
      for (let b = 0; b < x.length; b += 32) {
        let amax = 0;
        for (let j = b; j < b + 32; j++) amax = Math.max(amax, Math.abs(x[j]!));
        const d = fr(amax / 127);
        const id = d ? fr(1 / d) : 0;
        const dh = halfToFloat(floatToHalf(d));
        for (let j = b; j < b + 32; j++) out[j] = roundHalfEven(fr(x[j]! * id)) * dh;
      }
      return out;
    case 'q8_K':
      for (let b = 0; b < x.length; b += 256) {
        let amax = 0;
        let max = 0;
        for (let j = b; j < b + 256; j++) {
          const ax = Math.abs(x[j]!);
          if (ax > amax) {
            amax = ax;
            max = x[j]!;
          }
        }
        if (amax === 0) continue;
        const iscale = fr(-127 / max);
        const d = fr(1 / iscale);
        for (let j = b; j < b + 256; j++) out[j] = Math.min(127, roundHalfEven(fr(iscale * x[j]!))) * d;
      }
      return out;
    case 'bf16':
      for (let j = 0; j < x.length; j++) out[j] = bf16ToFloat(floatToBf16(x[j]!));
      return out;
    case 'f16':
      for (let j = 0; j < x.length; j++) out[j] = halfToFloat(floatToHalf(x[j]!));
      return out;
    default:
      out.set(x);
      return out;
  }
}

/** Round half to even, as ggml's `nearest_int` and AVX `_mm256_round_ps` do. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
