import { describe, expect, it } from 'vitest';
import { expectCode } from '../test/hypergraphSpec.ts';
import { AtomSpace } from './AtomSpace.ts';
import { EpisodicMemory } from './EpisodicMemory.ts';
import { fromSnapshot, toSnapshot } from './snapshot.ts';

describe('EpisodicMemory', () => {
  it('stores episodes as typed atoms with tick, importance and embedding', () => {
    const s = new AtomSpace();
    const apple = s.addNode('ConceptNode', 'apple');
    const mem = new EpisodicMemory(s, { agent: 'alice' });
    const h = mem.record({
      kind: 'observation',
      text: 'saw an apple',
      tick: 4,
      importance: 0.5,
      embedding: [1, 0],
      about: [apple],
    });
    expect(s.typeOf(h)).toBe('ObservationNode');
    expect(s.getValue(h, 'tick')).toBe(4);
    expect(Array.from(s.getValue(h, 'embedding') as Float32Array)).toEqual([1, 0]);
    expect(s.incomingByType(apple, 'ContextLink')).toHaveLength(1);
    expect(s.getLink('AtTimeLink', [h, s.getNode('NumberNode', '4')!])).toBeDefined();
    expect(mem.episodes()).toEqual([h]);
    expect(new EpisodicMemory(s, { agent: 'bob' }).episodes()).toEqual([]);
  });

  it('ranks by recency x importance x relevance with per-tick decay', () => {
    const s = new AtomSpace();
    const mem = new EpisodicMemory(s, { decay: 0.9 });
    const old = mem.record({ kind: 'observation', text: 'old, relevant', tick: 0, importance: 1, embedding: [1, 0] });
    const fresh = mem.record({ kind: 'action', text: 'fresh, orthogonal', tick: 10, importance: 1, embedding: [0, 1] });
    const dull = mem.record({
      kind: 'outcome',
      text: 'fresh, relevant, dull',
      tick: 10,
      importance: 0.1,
      embedding: [1, 0],
    });
    const r = mem.retrieve({ now: 10, query: [1, 0], k: 3 });
    // old: 0.9^10 * 1 * 1 = 0.34868; fresh: 1 * 1 * 0.5 = 0.5; dull: 1 * 0.1 * 1 = 0.1
    expect(r.map((e) => e.handle)).toEqual([fresh, old, dull]);
    expect(r[1]!.score).toBeCloseTo(0.9 ** 10, 12);
    expect(r[0]!.relevance).toBeCloseTo(0.5, 12);
    expect(mem.retrieve({ now: 10, query: [1, 0], k: 1 }).map((e) => e.handle)).toEqual([fresh]);
    expect(mem.retrieve({ now: 10, k: 5, kinds: ['observation'] }).map((e) => e.handle)).toEqual([old]);
    // Much later, recency dominates less between the two fresh ones than relevance: fresh (0.5) vs dull (0.1).
    const later = mem.retrieve({ now: 40, query: [1, 0], k: 3 });
    expect(later[0]!.handle).toBe(fresh);
  });

  it('survives a snapshot round trip and rejects bad input', () => {
    const s = new AtomSpace();
    const mem = new EpisodicMemory(s, { agent: 'a' });
    mem.record({ kind: 'outcome', text: 'won', tick: 1, importance: 0.9, embedding: [0.5, 0.5] });
    const back = fromSnapshot(toSnapshot(s));
    const mem2 = new EpisodicMemory(back, { agent: 'a' });
    expect(mem2.retrieve({ now: 1, k: 1 })[0]).toMatchObject({ text: 'won', tick: 1, importance: 0.9 });
    mem2.record({ kind: 'outcome', text: 'again', tick: 2, importance: 0.1 });
    expect(mem2.episodes()).toHaveLength(2);
    expectCode(
      () => mem.record({ kind: 'dream' as never, text: '', tick: 1, importance: 0 }),
      'DTE_ERR_HG_BAD_ARGUMENT',
    );
    expectCode(() => mem.record({ kind: 'action', text: '', tick: -1, importance: 0 }), 'DTE_ERR_HG_BAD_ARGUMENT');
    expectCode(() => mem.record({ kind: 'action', text: '', tick: 1, importance: 2 }), 'DTE_ERR_HG_BAD_ARGUMENT');
    expectCode(() => mem.retrieve({ now: 1, k: -1 }), 'DTE_ERR_HG_BAD_ARGUMENT');
    expectCode(() => mem.retrieve({ now: 1, k: 1, query: [1, 2, 3] }), 'DTE_ERR_HG_BAD_ARGUMENT');
    expectCode(() => new EpisodicMemory(s, { decay: 0 }), 'DTE_ERR_HG_BAD_ARGUMENT');
  });
});
