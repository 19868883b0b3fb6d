import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectCode } from '../test/hypergraphSpec.ts';
import { AtomSpace } from './AtomSpace.ts';

describe('AtomSpace internals', () => {
  it('hash-conses links above the packed-key range (handles >= 2^21) via string keys', () => {
    const s = new AtomSpace();
    const a = s.addNode('ConceptNode', 'a');
    const big = 2_097_152 + 5;
    s.restoreAtom(big, 'ConceptNode', 'big');
    expect(s.nextHandle).toBe(big + 1);
    const l1 = s.addLink('ListLink', [a, big]);
    const l2 = s.addLink('ListLink', [big, a]);
    expect(l1).not.toBe(l2);
    expect(s.addLink('ListLink', [a, big])).toBe(l1);
    expect(s.getLink('ListLink', [big, a])).toBe(l2);
    expect(s.addLink('ListLink', [big])).toBe(s.addLink('ListLink', [big]));
    expect(s.incomingOf(big).length).toBe(3);
    s.remove(big, { recursive: true });
    expect(s.getLink('ListLink', [a, big])).toBeUndefined();
    expect(s.size).toBe(1);
  });

  it('keeps arity-1, arity-2 and longer links of the same members distinct', () => {
    const s = new AtomSpace();
    const a = s.addNode('ConceptNode', 'a');
    const b = s.addNode('ConceptNode', 'b');
    const hs = [
      s.addLink('ListLink', [a]),
      s.addLink('ListLink', [b]),
      s.addLink('ListLink', [a, b]),
      s.addLink('ListLink', [a, b, a]),
      s.addLink('SetLink', [a]),
      s.addLink('SetLink', [a, b]),
      s.addLink('ListLink', []),
      s.addLink('SetLink', []),
    ];
    expect(new Set(hs).size).toBe(hs.length);
  });

  it('restoreAtom refuses a handle in use and handle counters never go back', () => {
    const s = new AtomSpace();
    const a = s.addNode('ConceptNode', 'a');
    expectCode(() => s.restoreAtom(a, 'ConceptNode', 'x'), 'DTE_ERR_HG_HANDLE_TAKEN');
    expectCode(() => s.restoreAtom(10, 'ConceptNode', 'a'), 'DTE_ERR_HG_BAD_SNAPSHOT');
    expectCode(() => s.restoreNextHandle(1), 'DTE_ERR_HG_BAD_ARGUMENT');
    expectCode(() => new AtomSpace({ graphIndex: 'sometimes' as never }), 'DTE_ERR_HG_BAD_ARGUMENT');
  });

  it('lets graphology algorithms walk memory: links reachable from an atom', () => {
    const s = new AtomSpace({ graphIndex: 'eager' });
    const a = s.addNode('ConceptNode', 'a');
    const b = s.addNode('ConceptNode', 'b');
    const c = s.addNode('ConceptNode', 'c');
    const ab = s.addLink('ListLink', [a, b]);
    const bc = s.addLink('ListLink', [b, c]);
    const g = s.graph();
    // Two-hop neighbourhood in the bipartite incidence graph: a -> its links -> their members.
    const hop1 = g.inNeighbors(String(a));
    const hop2 = new Set(hop1.flatMap((l) => g.outNeighbors(l)));
    expect(hop1).toEqual([String(ab)]);
    expect([...hop2].sort()).toEqual([String(a), String(b)].sort());
    expect(g.degree(String(b))).toBe(2);
    expect(g.inDegree(String(c))).toBe(1);
    expect(s.incomingOf(c)).toEqual([bc]);
  });
});

describe('AtomSpace graph index modes', () => {
  it('property: the eager graph equals the lazily rebuilt one after any operations', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('node' as const), n: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ k: fc.constant('link' as const), out: fc.array(fc.nat(), { maxLength: 3 }) }),
      fc.record({ k: fc.constant('rm' as const), i: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const lazy = new AtomSpace();
        const eager = new AtomSpace({ graphIndex: 'eager' });
        for (const s of [lazy, eager]) {
          for (const o of ops) {
            const hs = s.handles();
            if (o.k === 'node') s.addNode('ConceptNode', `n${o.n}`);
            else if (o.k === 'link') {
              if (hs.length > 0)
                s.addLink(
                  'ListLink',
                  o.out.map((i) => hs[i % hs.length]!),
                );
            } else if (hs.length > 0) s.remove(hs[o.i % hs.length]!, { recursive: true });
          }
        }
        const dump = (s: AtomSpace) => {
          const g = s.graph();
          const nodes = g.nodes().sort();
          const edges = g.mapEdges((_e, a, src, dst) => `${src}>${dst}@${a.position}`).sort();
          return { nodes, edges };
        };
        expect(dump(eager)).toEqual(dump(lazy));
        expect(lazy.graph().order).toBe(lazy.size);
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});
