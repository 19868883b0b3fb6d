/**
 * Scales all gradients in place so that their global L2 norm is at most `maxNorm`; returns the norm
 * before clipping (non-finite norms are returned as they are and leave the gradients untouched).
 */
export function clipGradNorm(grads: readonly Float32Array[], maxNorm: number): number {
  let ss = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) ss += g[i]! * g[i]!;
  const norm = Math.sqrt(ss);
  if (Number.isFinite(norm) && norm > maxNorm) {
    const s = maxNorm / norm;
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * s;
  }
  return norm;
}
