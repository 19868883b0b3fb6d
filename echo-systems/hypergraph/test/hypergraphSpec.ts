import { describe, expect, it } from 'vitest';
import type { AtomChange, HypergraphStore } from '../src/index.ts';
import { fromSnapshot, HypergraphError, matchPattern, toSnapshot } from '../src/index.ts';

/** Asserts `fn` throws a HypergraphError with `code`. */
export function expectCode(fn: () => unknown, code: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(HypergraphError);
  expect((err as HypergraphError).code).toBe(code);
}

/**
 * The hypergraph conformance suite (graphology's `specs(Graph)` pattern): every
 * store implementation runs it through its own factory.
 */
export function hypergraphSpec(name: string, create: () => HypergraphStore): void {
  describe(`HypergraphStore conformance: ${name}`, () => {
    it('hash-conses nodes and links', () => {
      const s = create();
      const a = s.addNode('ConceptNode', 'a');
      const b = s.addNode('ConceptNode', 'b');
      expect(s.addNode('ConceptNode', 'a')).toBe(a);
      expect(s.addNode('PredicateNode', 'a')).not.toBe(a);
      const l = s.addLink('InheritanceLink', [a, b]);
      expect(s.addLink('InheritanceLink', [a, b])).toBe(l);
      expect(s.addLink('InheritanceLink', [b, a])).not.toBe(l);
      expect(s.addLink('ListLink', [a, b])).not.toBe(l);
      expect(s.getNode('ConceptNode', 'a')).toBe(a);
      expect(s.getNode('ConceptNode', 'zz')).toBeUndefined();
      expect(s.getLink('InheritanceLink', [a, b])).toBe(l);
      expect(s.getLink('InheritanceLink', [a, a])).toBeUndefined();
      expect(s.size).toBe(6);
      // Unordered links are canonical: SetLink(b, a) is SetLink(a, b).
      const set = s.addLink('SetLink', [b, a]);
      expect(s.addLink('SetLink', [a, b])).toBe(set);
      expect(s.getLink('SetLink', [b, a])).toBe(set);
      expect(s.outgoingOf(set)).toEqual([a, b].sort((x, y) => x - y));
    });

    it('reads type, name, outgoing and incoming sets of any arity', () => {
      const s = create();
      const a = s.addNode('ConceptNode', 'a');
      const b = s.addNode('ConceptNode', 'b');
      const c = s.addNode('ConceptNode', 'c');
      const empty = s.addLink('ListLink', []);
      const tri = s.addLink('ListLink', [a, b, c]);
      const dup = s.addLink('ListLink', [a, a]);
      const nested = s.addLink('EvaluationLink', [s.addNode('PredicateNode', 'p'), tri]);
      expect(s.typeOf(tri)).toBe('ListLink');
      expect(s.nameOf(a)).toBe('a');
      expect(s.outgoingOf(tri)).toEqual([a, b, c]);
      expect(s.outgoingOf(empty)).toEqual([]);
      expect(s.isNode(a) && s.isLink(tri) && !s.isLink(a)).toBe(true);
      expect([...s.incomingOf(a)].sort()).toEqual([tri, dup].sort());
      expect(s.incomingOf(tri)).toEqual([nested]);
      expect(s.incomingOf(c)).toEqual([tri]);
      expect(s.incomingByType(a, 'ListLink')).toHaveLength(2);
      expect(s.incomingByType(a, 'EvaluationLink')).toHaveLength(0);
      expect(s.incomingByType(a, 'OrderedLink', true)).toHaveLength(2);
      const v = s.get(tri);
      expect(v).toMatchObject({ handle: tri, type: 'ListLink', name: undefined, outgoing: [a, b, c] });
      expectCode(() => s.nameOf(tri), 'DTE_ERR_HG_BAD_ARGUMENT');
      expectCode(() => s.outgoingOf(a), 'DTE_ERR_HG_BAD_ARGUMENT');
    });

    it('honours the type hierarchy and custom subtypes', () => {
      const s = create();
      s.types.define('PlaceNode', 'ConceptNode');
      const p = s.addNode('PlaceNode', 'kitchen');
      const c = s.addNode('ConceptNode', 'x');
      const pr = s.addNode('PredicateNode', 'y');
      const l = s.addLink('AsymmetricHebbianLink', [p, c]);
      expect(s.handlesOfType('ConceptNode')).toEqual([p, c].sort((x, y) => x - y));
      expect(s.handlesOfType('ConceptNode', false)).toEqual([c]);
      expect(s.handlesOfType('Node')).toHaveLength(3);
      expect(s.handlesOfType('HebbianLink')).toEqual([l]);
      expect(s.handlesOfType('Atom')).toHaveLength(4);
      expect(s.types.isA(s.typeIdOf(p), s.types.id('Node'))).toBe(true);
      expect(s.types.isA(s.typeIdOf(pr), s.types.id('ConceptNode'))).toBe(false);
    });

    it('rejects bad arguments with typed errors', () => {
      const s = create();
      const a = s.addNode('ConceptNode', 'a');
      expectCode(() => s.addNode('NoSuchNode', 'a'), 'DTE_ERR_HG_UNKNOWN_TYPE');
      expectCode(() => s.addNode('ListLink', 'a'), 'DTE_ERR_HG_TYPE_KIND');
      expectCode(() => s.addLink('ConceptNode', [a]), 'DTE_ERR_HG_TYPE_KIND');
      expectCode(() => s.addLink('ListLink', [a, 999]), 'DTE_ERR_HG_NOT_FOUND');
      expectCode(() => s.addLink('ListLink', [a, 1.5]), 'DTE_ERR_HG_BAD_ARGUMENT');
      expectCode(() => s.addLink('ListLink', 'x' as unknown as number[]), 'DTE_ERR_HG_BAD_ARGUMENT');
      expectCode(() => s.addNode('ConceptNode', 3 as unknown as string), 'DTE_ERR_HG_BAD_ARGUMENT');
      expectCode(() => s.get(12345), 'DTE_ERR_HG_NOT_FOUND');
      expectCode(() => s.incomingOf(0), 'DTE_ERR_HG_NOT_FOUND');
      expectCode(() => s.setTv(a, 1.5, 0.5), 'DTE_ERR_HG_BAD_ARGUMENT');
      expectCode(() => s.setAv(a, Number.NaN, 0, 0), 'DTE_ERR_HG_BAD_ARGUMENT');
      expectCode(() => s.setValue(a, 'k', { x: 1 } as never), 'DTE_ERR_HG_BAD_ARGUMENT');
      expectCode(() => s.setValue(a, 'k', [1, Number.NaN]), 'DTE_ERR_HG_BAD_ARGUMENT');
      expect(s.size).toBe(1);
    });

    it('stores truth values, attention values and other values', () => {
      const s = create();
      const a = s.addNode('ConceptNode', 'a', { tv: { strength: 0.7, confidence: 0.9 }, av: { sti: 5 } });
      expect(s.getTv(a)).toMatchObject({ strength: 0.7, confidence: 0.9 });
      expect(s.getTv(a).count).toBeCloseTo(7200, 6);
      expect(s.getAv(a)).toEqual({ sti: 5, lti: 0, vlti: 0 });
      const b = s.addNode('ConceptNode', 'b');
      expect(s.getTv(b)).toMatchObject({ strength: 1, confidence: 0 });
      s.setAv(b, -3, 7, 1);
      expect([s.getSti(b), s.getLti(b), s.getVlti(b)]).toEqual([-3, 7, 1]);
      s.setValue(b, 'emb', Float32Array.from([0.5, -1]));
      s.setValue(b, 'text', 'hello');
      s.setValue(b, 'xs', [1, 2.5]);
      expect(Array.from(s.getValue(b, 'emb') as Float32Array)).toEqual([0.5, -1]);
      expect(s.getValue(b, 'text')).toBe('hello');
      expect(s.valueKeys(b).sort()).toEqual(['emb', 'text', 'xs']);
      s.setValue(b, 'text', undefined);
      expect(s.getValue(b, 'text')).toBeUndefined();
    });

    it('removes plainly or recursively', () => {
      const s = create();
      const a = s.addNode('ConceptNode', 'a');
      const b = s.addNode('ConceptNode', 'b');
      const l = s.addLink('ListLink', [a, b]);
      const ll = s.addLink('SetLink', [l, b]);
      expectCode(() => s.remove(a), 'DTE_ERR_HG_HAS_INCOMING');
      expect(s.has(a)).toBe(true);
      const removed = s.remove(a, { recursive: true });
      expect(removed.sort()).toEqual([a, l, ll].sort());
      expect(s.has(l) || s.has(ll) || s.has(a)).toBe(false);
      expect(s.incomingOf(b)).toEqual([]);
      expect(s.getNode('ConceptNode', 'a')).toBeUndefined();
      expect(s.getLink('ListLink', [b])).toBeUndefined();
      expect(s.size).toBe(1);
      expect(s.remove(b)).toEqual([b]);
      expectCode(() => s.remove(b), 'DTE_ERR_HG_NOT_FOUND');
      const c = s.addNode('ConceptNode', 'c');
      const ls = [0, 1, 2, 3].map((i) => s.addLink('ListLink', [c, s.addNode('ConceptNode', `m${i}`)]));
      s.remove(ls[1]!);
      expect(s.incomingOf(c)).toEqual([ls[0], ls[2], ls[3]]);
      s.remove(c, { recursive: true });
      for (const h of s.handles().slice()) s.remove(h, { recursive: true });
      const a2 = s.addNode('ConceptNode', 'a');
      expect(a2).not.toBe(a);
      expect(s.handles()).toEqual([a2]);
    });

    it('streams changes: added, value changes, removed', () => {
      const s = create();
      const seen: AtomChange[] = [];
      const sub = s.changes$.subscribe((c) => seen.push(c));
      const a = s.addNode('ConceptNode', 'a');
      const l = s.addLink('ListLink', [a]);
      s.addNode('ConceptNode', 'a');
      s.setTv(a, 0.5, 0.5);
      s.setAv(a, 10, 1, 0);
      s.setValue(a, 'k', 3);
      s.remove(a, { recursive: true });
      sub.unsubscribe();
      expect(seen.map((c) => c.kind)).toEqual(['added', 'added', 'tv', 'av', 'value', 'removed', 'removed']);
      expect(seen[0]).toMatchObject({ kind: 'added', handle: a, type: 'ConceptNode', name: 'a' });
      expect(seen[1]).toMatchObject({ kind: 'added', handle: l, outgoing: [a] });
      expect(seen[3]).toMatchObject({ kind: 'av', sti: 10, old: { sti: 0, lti: 0, vlti: 0 } });
      expect(seen[5]).toMatchObject({ kind: 'removed', handle: l });
      expect(seen[6]).toMatchObject({ kind: 'removed', handle: a, av: { sti: 10, lti: 1, vlti: 0 } });
    });

    it('exposes a graphology incidence graph that tracks changes', () => {
      const s = create();
      const a = s.addNode('ConceptNode', 'a');
      const b = s.addNode('ConceptNode', 'b');
      const l = s.addLink('ListLink', [a, b, a]);
      let g = s.graph();
      expect(g.order).toBe(3);
      expect(g.size).toBe(3);
      expect(g.outNeighbors(String(l)).sort()).toEqual([String(a), String(b)].sort());
      expect(g.inNeighbors(String(b))).toEqual([String(l)]);
      const positions = g.mapOutEdges(String(l), (_e, attr) => attr.position as number).sort();
      expect(positions).toEqual([0, 1, 2]);
      expect(g.getNodeAttribute(String(l), 'type')).toBe('ListLink');
      s.remove(l);
      g = s.graph();
      expect(g.order).toBe(2);
      expect(g.size).toBe(0);
    });

    it('matches patterns and grounds nothing to []', () => {
      const s = create();
      const man = s.addNode('ConceptNode', 'man');
      const soc = s.addNode('ConceptNode', 'Socrates');
      const ein = s.addNode('ConceptNode', 'Einstein');
      s.addLink('InheritanceLink', [soc, man]);
      s.addLink('InheritanceLink', [ein, man]);
      const r = matchPattern(s, {
        vars: { $X: 'ConceptNode' },
        where: { link: 'InheritanceLink', out: [{ var: '$X' }, { node: 'ConceptNode', name: 'man' }] },
      });
      expect(r.map((b) => b.$X).sort()).toEqual([soc, ein].sort());
      expect(
        matchPattern(s, {
          where: { link: 'InheritanceLink', out: [{ var: '$X' }, { node: 'ConceptNode', name: 'god' }] },
        }),
      ).toEqual([]);
    });

    it('round-trips through a snapshot exactly', () => {
      const s = create();
      const a = s.addNode('ConceptNode', 'a', {
        tv: { strength: 0.1, confidence: 0.2 },
        av: { sti: 1.25, lti: -2, vlti: 1 },
      });
      const b = s.addNode('ConceptNode', 'b');
      s.addLink('ListLink', [a, b]);
      s.setValue(b, 'emb', Float32Array.from([0.1, 0.2]));
      s.remove(s.addNode('ConceptNode', 'gone'));
      const snap = toSnapshot(s);
      const back = fromSnapshot(JSON.parse(JSON.stringify(snap)));
      expect(toSnapshot(back)).toEqual(snap);
      expect(back.nextHandle).toBe(s.nextHandle);
    });
  });
}
