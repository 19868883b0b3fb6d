import { type Vec, zerosLike } from './Vec.ts';

/**
 * y = x·Wᵀ: x is row-major [m×k], W is [n×k] (n rows of k, ggml's layout of a weight with ne0 = k),
 * y is [m×n]. The forward of every linear layer.
 */
export function matmulForward(x: Vec, w: Vec, m: number, k: number, n: number): Vec {
  const y = zerosLike(x, m * n);
  for (let i = 0; i < m; i++) {
    const xo = i * k;
    for (let j = 0; j < n; j++) {
      const wo = j * k;
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += x[xo + kk]! * w[wo + kk]!;
      y[i * n + j] = s;
    }
  }
  return y;
}

/** Backward of {@link matmulForward}: dx += dy·W, dW += dyᵀ·x (accumulates, so shared weights add up). */
export function matmulBackward(
  dy: Vec,
  x: Vec,
  w: Vec,
  m: number,
  k: number,
  n: number,
  dx: Vec | null,
  dw: Vec,
): void {
  for (let i = 0; i < m; i++) {
    const xo = i * k;
    for (let j = 0; j < n; j++) {
      const g = dy[i * n + j]!;
      if (g === 0) continue;
      const wo = j * k;
      if (dx) for (let kk = 0; kk < k; kk++) dx[xo + kk]! += g * w[wo + kk]!;
      for (let kk = 0; kk < k; kk++) dw[wo + kk]! += g * x[xo + kk]!;
    }
  }
}
