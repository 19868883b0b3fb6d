import { dtesnError } from '../DtesnError.ts';

/**
 * Solves A·X = B for symmetric positive-definite A (n × n, row-major; only the
 * upper triangle is read) and B (n × m, row-major) by Cholesky factorisation
 * A = L·Lᵀ. Returns X (n × m). Neither input is modified.
 *
 * @example
 * ```ts
 * choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2, 1);
 * ```
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
  if (a.length !== n * n || b.length !== n * m) {
    throw dtesnError(
      'DTE_ERR_DTESN_SHAPE_MISMATCH',
      'choleskySolve',
      `${n}x${n} and ${n}x${m}`,
      `${a.length}, ${b.length}`,
    );
  }
  // L stored row-major in the lower triangle.
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = a[rowJ + j]!;
    for (let k = 0; k < j; k++) d -= l[rowJ + k]! * l[rowJ + k]!;
    if (!(d > 0) || !Number.isFinite(d)) throw dtesnError('DTE_ERR_DTESN_SINGULAR', 'choleskySolve', j);
    const ljj = Math.sqrt(d);
    l[rowJ + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowJ + i]!; // A[j][i] from the upper triangle = A[i][j]
      for (let k = 0; k < j; k++) s -= l[rowI + k]! * l[rowJ + k]!;
      l[rowI + j] = s * inv;
    }
  }
  const x = Float64Array.from(b);
  // Forward: L·Y = B.
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let c = 0; c < m; c++) {
      let s = x[i * m + c]!;
      for (let k = 0; k < i; k++) s -= l[rowI + k]! * x[k * m + c]!;
      x[i * m + c] = s / l[rowI + i]!;
    }
  }
  // Backward: Lᵀ·X = Y.
  for (let i = n - 1; i >= 0; i--) {
    for (let c = 0; c < m; c++) {
      let s = x[i * m + c]!;
      for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k * m + c]!;
      x[i * m + c] = s / l[i * n + i]!;
    }
  }
  return x;
}
