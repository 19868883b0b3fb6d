/** ggml tensor element type ids supported by the native kernels (ggml's own numbering). */
export const GGML_TYPE = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q8_0: 8,
  Q4_K: 12,
  Q6_K: 14,
  BF16: 30,
} as const;

/** One of the supported ggml type ids. */
export type GgmlTypeId = (typeof GGML_TYPE)[keyof typeof GGML_TYPE];

/** Elements per block and bytes per block of each supported type. */
export const GGML_BLOCK: Readonly<Record<GgmlTypeId, { size: number; bytes: number }>> = {
  0: { size: 1, bytes: 4 },
  1: { size: 1, bytes: 2 },
  2: { size: 32, bytes: 18 },
  8: { size: 32, bytes: 34 },
  12: { size: 256, bytes: 144 },
  14: { size: 256, bytes: 210 },
  30: { size: 1, bytes: 2 },
};

/** Bytes of one row of `k` elements (k must be a multiple of the block size). */
export function ggmlRowBytes(type: GgmlTypeId, k: number): number {
  const b = GGML_BLOCK[type];
  return (k / b.size) * b.bytes;
}
