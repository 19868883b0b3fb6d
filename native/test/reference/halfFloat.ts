// Reference IEEE half / bfloat16 conversions for the tests (written from the format definitions).

/** f16 bits → number. */
export function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const man = h & 0x3ff;
  if (exp === 0) return sign * man * 2 ** -24;
  if (exp === 31) return man === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + man / 1024) * 2 ** (exp - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** number → nearest f16 bits (normal range only; enough for test data). */
export function f32ToF16(v: number): number {
  if (v === 0) return 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  let exp = Math.floor(Math.log2(a));
  if (exp < -14) return sign | Math.round(a / 2 ** -24);
  let man = Math.round((a / 2 ** exp - 1) * 1024);
  if (man === 1024) {
    man = 0;
    exp += 1;
  }
  return sign | ((exp + 15) << 10) | man;
}

/** bf16 bits → number. */
export function bf16ToF32(h: number): number {
  u32[0] = (h << 16) >>> 0;
  return f32[0] as number;
}

/** number → bf16 bits (round to nearest even). */
export function f32ToBf16(v: number): number {
  f32[0] = v;
  const x = u32[0] as number;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}
