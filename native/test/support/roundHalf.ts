const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds a number to the nearest IEEE half (ties to even) and returns it as a number. */
export function roundHalf(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  const sign = bits >>> 31 ? -1 : 1;
  const ax = Math.abs(f32[0]!);
  if (!Number.isFinite(ax)) return f32[0]!;
  if (ax >= 65520) return sign * Number.POSITIVE_INFINITY;
  // Spacing of halfs around ax: 2^(e-10) for normals, 2^-24 for subnormals.
  const e = Math.max(Math.floor(Math.log2(ax)), -14);
  const ulp = 2 ** (e - 10);
  const q = ax / ulp;
  let r = Math.floor(q);
  const frac = q - r;
  if (frac > 0.5 || (frac === 0.5 && r % 2 === 1)) r++;
  return sign * r * ulp;
}
