import { dtesnError } from '../DtesnError.ts';
import { levelSequenceToParents, rootedTrees } from '../trees/rootedTrees.ts';

/** A membrane hierarchy: node 0 is the skin (root). */
export interface MembraneTree {
  /** Canonical level sequence (A000081 enumeration order). */
  levels: number[];
  /** parents[i] (−1 for the root). */
  parents: number[];
  children: number[][];
  /** Children before parents (leaves first, root last). */
  postorder: number[];
}

const SCAN_LIMIT = 100_000;

/**
 * Lays out a membrane hierarchy of `size` membranes as one of the A000081(size)
 * unlabelled rooted trees. `index` picks the tree in enumeration order; by
 * default the most balanced tree is used: the smallest max(height, branching),
 * then the smallest height (9 membranes → height 3, at most 3 children each),
 * searched among at most the first 100 000 trees.
 *
 * @example
 * ```ts
 * membraneTree(4, 0).levels; // [1, 2, 3, 4] (a path)
 * ```
 */
export function membraneTree(size: number, index?: number): MembraneTree {
  if (!Number.isInteger(size) || size < 1) {
    throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'membraneTree', 'size must be a positive integer');
  }
  let chosen: number[] | undefined;
  if (index !== undefined) {
    if (!Number.isInteger(index) || index < 0) {
      throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'membraneTree', 'index must be a non-negative integer');
    }
    let i = 0;
    for (const seq of rootedTrees(size)) {
      if (i++ === index) {
        chosen = seq;
        break;
      }
    }
    if (chosen === undefined) {
      throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'membraneTree', `only ${i} trees have ${size} nodes`);
    }
  } else {
    let best = Number.POSITIVE_INFINITY;
    let scanned = 0;
    for (const seq of rootedTrees(size)) {
      const parents = levelSequenceToParents(seq);
      const degree = new Array<number>(size).fill(0);
      for (const p of parents) if (p >= 0) degree[p]!++;
      const height = Math.max(...seq);
      const maxDegree = Math.max(...degree);
      const score = Math.max(height, maxDegree) * size * size + height * size + maxDegree;
      if (score < best) {
        best = score;
        chosen = seq;
      }
      if (++scanned >= SCAN_LIMIT) break;
    }
  }
  const levels = chosen!;
  const parents = levelSequenceToParents(levels);
  const children: number[][] = parents.map(() => []);
  parents.forEach((p, i) => {
    if (p >= 0) children[p]!.push(i);
  });
  // Preorder indices: reversing gives every child before its parent.
  const postorder = parents.map((_, i) => parents.length - 1 - i);
  return { levels, parents, children, postorder };
}
