import { type Vec, zerosLike } from './Vec.ts';

/**
 * Rotary position embedding as llama.cpp applies it to `llama` models (adjacent pairs, not neox):
 * x is [T][nHeads][headDim], token t at position pos[t]; pair (2i, 2i+1) turns by pos·base^(−2i/headDim).
 * `inverse` turns the other way, which is exactly the backward (a rotation's transpose is its inverse).
 */
export function rope(x: Vec, pos: Int32Array, nHeads: number, headDim: number, base: number, inverse = false): Vec {
  const y = zerosLike(x, x.length);
  const t = pos.length;
  const half = headDim >> 1;
  const sign = inverse ? -1 : 1;
  for (let i = 0; i < half; i++) {
    const freq = base ** ((-2 * i) / headDim);
    for (let tt = 0; tt < t; tt++) {
      const theta = pos[tt]! * freq;
      const c = Math.cos(theta);
      const s = sign * Math.sin(theta);
      for (let h = 0; h < nHeads; h++) {
        const o = (tt * nHeads + h) * headDim + 2 * i;
        const x0 = x[o]!;
        const x1 = x[o + 1]!;
        y[o] = x0 * c - x1 * s;
        y[o + 1] = x0 * s + x1 * c;
      }
    }
  }
  return y;
}
