import type { Handle, HypergraphStore } from '@dte/hypergraph';

/**
 * The attentional focus: the top `k` atoms by STI among those with STI above
 * `minSti`, highest first, ties to the lower handle (deterministic).
 * O(n log k) over the store's atoms.
 *
 * @example
 * ```ts
 * selectFocus(store, 100, 0); // [h7, h3, ...]
 * ```
 */
export function selectFocus(store: HypergraphStore, k: number, minSti: number): Handle[] {
  const hs: Handle[] = [];
  const ss: number[] = [];
  const end = store.nextHandle;
  for (let h = 1; h < end; h++) {
    if (!store.has(h)) continue;
    const s = store.getSti(h);
    if (!(s > minSti)) continue;
    if (hs.length === k && s <= ss[k - 1]!) continue;
    // Binary search for the insertion point (descending STI; equal STI keeps the earlier, lower handle first).
    let lo = 0;
    let hi = hs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ss[mid]! >= s) lo = mid + 1;
      else hi = mid;
    }
    hs.splice(lo, 0, h);
    ss.splice(lo, 0, s);
    if (hs.length > k) {
      hs.pop();
      ss.pop();
    }
  }
  return hs;
}

/** Atoms that entered and left between two focus selections. */
export function diffFocus(prev: readonly Handle[], next: readonly Handle[]): { entered: Handle[]; left: Handle[] } {
  const p = new Set(prev);
  const n = new Set(next);
  return { entered: next.filter((h) => !p.has(h)), left: prev.filter((h) => !n.has(h)) };
}
