/**
 * Largest absolute element-wise difference of two equally long arrays (Infinity when lengths differ
 * or any value is NaN), the measure every logits parity test reports.
 * @example expect(maxAbsDiff(ours, llamaCpp)).toBeLessThan(1e-3)
 */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return m;
}
