import { dtesnError } from '../DtesnError.ts';

/**
 * Counts unlabelled rooted trees with `n` nodes for every n in 0..max (OEIS A000081),
 * computed by the Euler-transform recurrence, not a table:
 *
 *   a(1) = 1,  a(n+1) = (1/n) · Σ_{k=1..n} (Σ_{d|k} d·a(d)) · a(n−k+1).
 *
 * Exact (bigint) for any size.
 *
 * @example
 * ```ts
 * rootedTreeCounts(6); // [0n, 1n, 1n, 2n, 4n, 9n, 20n]
 * ```
 */
export function rootedTreeCounts(max: number): bigint[] {
  if (!Number.isInteger(max) || max < 0) {
    throw dtesnError(
      'DTE_ERR_DTESN_BAD_ARGUMENT',
      'rootedTreeCounts',
      `max must be a non-negative integer, got ${max}`,
    );
  }
  const a: bigint[] = new Array<bigint>(max + 1).fill(0n);
  if (max >= 1) a[1] = 1n;
  // s[k] = Σ_{d|k} d·a(d), filled as a(d) becomes known.
  const s: bigint[] = new Array<bigint>(max + 1).fill(0n);
  for (let n = 1; n < max; n++) {
    // a(n) is final now: add its contribution to every multiple of n.
    const an = a[n]!;
    for (let m = n; m <= max; m += n) s[m] = s[m]! + BigInt(n) * an;
    let sum = 0n;
    for (let k = 1; k <= n; k++) sum += s[k]! * a[n - k + 1]!;
    a[n + 1] = sum / BigInt(n);
  }
  return a;
}

/** The number of unlabelled rooted trees with `n` nodes (A000081(n)). */
export function countRootedTrees(n: number): bigint {
  return rootedTreeCounts(n)[n]!;
}
