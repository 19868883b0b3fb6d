import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from '../gguf/half.ts';

const fr = Math.fround;

/**
 * Rounds an activation row the way llama.cpp's CPU backend does before a dot product with weights
 * of ggml type `weightType` (its `vec_dot_type`): Q8_0 blocks of 32 for Q8_0/Q4_0 weights, Q8_K
 * blocks of 256 for Q4_K/Q6_K, bf16 for BF16; F32 and F16 weights see the row unchanged. The
 * reference model uses it to reproduce llama.cpp's logits closely; returns a new array.
 * @example const xr = roundActivations(GGML_TYPE.Q8_0, x)
 */
export function roundActivations(weightType: number, x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  switch (weightType) {
    case 8:
    case 2:
      for (let b = 0; b < x.length; b += 32) {
        let amax = 0;
        for (let j = b; j < b + 32; j++) amax = Math.max(amax, Math.abs(x[j]!));
        const d = fr(amax / 127);
        const id = d ? fr(1 / d) : 0;
        const dh = halfToFloat(floatToHalf(d));
        for (let j = b; j < b + 32; j++) out[j] = roundHalfEven(fr(x[j]! * id)) * dh;
      }
      return out;
    case 12:
    case 14:
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
    case 30:
      for (let j = 0; j < x.length; j++) out[j] = bf16ToFloat(floatToBf16(x[j]!));
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
