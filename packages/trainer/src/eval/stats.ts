/** Mean of `xs` (NaN when empty). */
export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}

/** Two-sided 95% critical values of Student's t for 1 … 30 degrees of freedom. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * The two-sided 95% critical value of Student's t with `df` degrees of freedom: tabulated up to 30, beyond
 * that the Cornish–Fisher expansion around z = 1.96 (within 1e-3 of the exact value).
 */
export function t95(df: number): number {
  if (!Number.isInteger(df) || df < 1) return Number.NaN;
  if (df <= T95.length) return T95[df - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/**
 * Half-width of the 95% t-interval of the mean of `xs` (sample standard deviation, n − 1 degrees of
 * freedom): the mean is `mean ± tInterval95`. NaN for fewer than two values; 0 when they are all equal.
 * @example tInterval95([1, 2, 3]) // 2.484…
 */
export function tInterval95(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const m = mean(xs);
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  return (t95(n - 1) * sd) / Math.sqrt(n);
}
