import { dtesnError } from '../DtesnError.ts';

/**
 * Enumerates every unlabelled rooted tree with `n` nodes as its canonical level
 * sequence (root at level 1, preorder, children in non-increasing subtree order),
 * by the Beyer–Hedetniemi successor rule in constant amortised time per tree.
 * The count of sequences yielded is A000081(n).
 *
 * @example
 * ```ts
 * [...rootedTrees(4)]; // [[1,2,3,4],[1,2,3,3],[1,2,3,2],[1,2,2,2]]
 * ```
 */
export function* rootedTrees(n: number): Generator<number[]> {
  if (!Number.isInteger(n) || n < 0) {
    throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'rootedTrees', `n must be a non-negative integer, got ${n}`);
  }
  if (n === 0) return;
  const level = Array.from({ length: n }, (_, i) => i + 1);
  for (;;) {
    yield level.slice();
    // p: last node whose level is not 2 (the root, level 1, always qualifies).
    let p = n - 1;
    while (level[p] === 2) p--;
    if (p === 0) return;
    // q: the parent of p (last earlier node one level up).
    let q = p - 1;
    while (level[q] !== level[p]! - 1) q--;
    const shift = p - q;
    for (let i = p; i < n; i++) level[i] = level[i - shift]!;
  }
}

/**
 * Converts a level sequence to a parent array (`parents[0] = -1` for the root).
 * Throws on sequences that are not valid preorder levels.
 */
export function levelSequenceToParents(levels: readonly number[]): number[] {
  const parents: number[] = [];
  const stack: number[] = []; // stack[d] = last node seen at depth d+1
  levels.forEach((lv, i) => {
    if (!Number.isInteger(lv) || lv < 1 || lv > stack.length + 1 || (i === 0) !== (lv === 1)) {
      throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'levelSequenceToParents', `bad level ${lv} at ${i}`);
    }
    stack.length = lv - 1;
    parents.push(lv === 1 ? -1 : stack[lv - 2]!);
    stack.push(i);
  });
  return parents;
}
