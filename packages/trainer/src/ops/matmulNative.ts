import { GGML_TYPE } from '@dte/engine-core';
import { matmul } from '@dte/native';
import { matmulBackward, matmulForward } from './matmul.ts';
import type { Vec } from './Vec.ts';

const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Row-major transpose of a [rows×cols] matrix. */
export function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c]!;
  return t;
}

/**
 * {@link matmulForward} on the native F32 kernel (threaded, SIMD) for float32 buffers; float64 buffers
 * (gradient checks) take the TypeScript path.
 */
export function matmulForwardNative(x: Vec, w: Vec, m: number, k: number, n: number): Vec {
  if (!(x instanceof Float32Array) || !(w instanceof Float32Array)) return matmulForward(x, w, m, k, n);
  return matmul(GGML_TYPE.F32, bytes(w), k, n, x, m);
}

/**
 * {@link matmulBackward} as two native matmuls over transposed operands (the transposes cost m·n + m·k
 * + n·k, the products m·n·k): dx = dy·W = dy·(Wᵀ)ᵀ, dW = dyᵀ·x = (dyᵀ)·(xᵀ)ᵀ. Accumulates like the original.
 */
export function matmulBackwardNative(
  dy: Vec,
  x: Vec,
  w: Vec,
  m: number,
  k: number,
  n: number,
  dx: Vec | null,
  dw: Vec,
): void {
  if (!(dy instanceof Float32Array) || !(x instanceof Float32Array) || !(w instanceof Float32Array)) {
    matmulBackward(dy, x, w, m, k, n, dx, dw);
    return;
  }
  if (dx) {
    const g = matmul(GGML_TYPE.F32, bytes(transpose(w, n, k)), n, k, dy, m);
    for (let i = 0; i < g.length; i++) dx[i]! += g[i]!;
  }
  const gw = matmul(GGML_TYPE.F32, bytes(transpose(x, m, k)), m, k, transpose(dy, m, n), n);
  for (let i = 0; i < gw.length; i++) dw[i]! += gw[i]!;
}
