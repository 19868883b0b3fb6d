import { describe, expect, it } from 'vitest';
import { countRootedTrees, rootedTreeCounts } from './rootedTreeCounts.ts';
import { levelSequenceToParents, rootedTrees } from './rootedTrees.ts';

const A000081 = [0, 1, 1, 2, 4, 9, 20, 48, 115, 286, 719, 1842, 4766, 12486, 32973, 87811, 235381];

function canonical(parents: number[]): string {
  const kids: number[][] = parents.map(() => []);
  parents.forEach((p, i) => {
    if (p >= 0) kids[p]!.push(i);
  });
  const enc = (v: number): string => `(${kids[v]!.map(enc).sort().join('')})`;
  return enc(0);
}

describe('A000081', () => {
  it('matches the OEIS terms by recurrence', () => {
    expect(rootedTreeCounts(16).map(Number)).toEqual(A000081);
  });
  it('stays exact beyond 2^53', () => {
    expect(countRootedTrees(40)).toBe(11703780079612453n);
  });
  it('rejects bad sizes with a typed error', () => {
    expect(() => rootedTreeCounts(-1)).toThrow(expect.objectContaining({ code: 'DTE_ERR_DTESN_BAD_ARGUMENT' }));
  });
});

describe('rootedTrees', () => {
  it('enumerates exactly A000081(n) pairwise non-isomorphic trees', () => {
    for (let n = 1; n <= 10; n++) {
      const seen = new Set<string>();
      for (const seq of rootedTrees(n)) {
        expect(seq).toHaveLength(n);
        seen.add(canonical(levelSequenceToParents(seq)));
      }
      expect(seen.size).toBe(A000081[n]);
    }
  });
  it('yields the n = 4 sequences in order', () => {
    expect([...rootedTrees(4)]).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 3],
      [1, 2, 3, 2],
      [1, 2, 2, 2],
    ]);
  });
  it('maps levels to parents and rejects invalid sequences', () => {
    expect(levelSequenceToParents([1, 2, 3, 2, 2])).toEqual([-1, 0, 1, 0, 0]);
    expect(() => levelSequenceToParents([1, 3])).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_DTESN_BAD_ARGUMENT' }),
    );
  });
});
