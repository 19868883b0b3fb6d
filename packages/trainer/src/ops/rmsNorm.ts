import { type Vec, zerosLike } from './Vec.ts';

/** y = x / rms(x) ⊙ g per row of x [m×n]; returns y and each row's 1/rms (saved for the backward). */
export function rmsNormForward(x: Vec, g: Vec, m: number, n: number, eps: number): { y: Vec; rstd: Float64Array } {
  const y = zerosLike(x, m * n);
  const rstd = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const o = i * n;
    let ss = 0;
    for (let j = 0; j < n; j++) ss += x[o + j]! * x[o + j]!;
    const r = 1 / Math.sqrt(ss / n + eps);
    rstd[i] = r;
    for (let j = 0; j < n; j++) y[o + j] = x[o + j]! * r * g[j]!;
  }
  return { y, rstd };
}

/**
 * Backward of {@link rmsNormForward}: with x̂ = x·r, dx = r·(dy⊙g − x̂·mean(dy⊙g⊙x̂)), dg += Σ_rows dy⊙x̂.
 */
export function rmsNormBackward(
  dy: Vec,
  x: Vec,
  g: Vec,
  rstd: Float64Array,
  m: number,
  n: number,
  dx: Vec,
  dg: Vec,
): void {
  for (let i = 0; i < m; i++) {
    const o = i * n;
    const r = rstd[i]!;
    let dot = 0;
    for (let j = 0; j < n; j++) dot += dy[o + j]! * g[j]! * x[o + j]! * r;
    const c = dot / n;
    for (let j = 0; j < n; j++) {
      const xh = x[o + j]! * r;
      dx[o + j]! += r * (dy[o + j]! * g[j]! - xh * c);
      dg[j]! += dy[o + j]! * xh;
    }
  }
}
