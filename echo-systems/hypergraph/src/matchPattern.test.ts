import { describe, expect, it } from 'vitest';
import { expectCode } from '../test/hypergraphSpec.ts';
import { AtomSpace } from './AtomSpace.ts';
import { matchPattern } from './matchPattern.ts';

function world() {
  const s = new AtomSpace();
  const c = (n: string) => s.addNode('ConceptNode', n);
  const man = c('man');
  const [soc, ein, pei] = [c('Socrates'), c('Einstein'), c('Peirce')];
  const likes = s.addNode('PredicateNode', 'likes');
  const math = c('math');
  const wine = c('wine');
  const inh = [soc, ein, pei].map((x) => s.addLink('InheritanceLink', [x, man]));
  s.addLink('EvaluationLink', [likes, s.addLink('ListLink', [ein, math])]);
  s.addLink('EvaluationLink', [likes, s.addLink('ListLink', [soc, wine])]);
  s.addLink('EvaluationLink', [likes, s.addLink('ListLink', [soc, math])]);
  return { s, man, soc, ein, pei, likes, math, wine, inh };
}

const isMan = { link: 'InheritanceLink', out: [{ var: '$X' }, { node: 'ConceptNode', name: 'man' }] } as const;
const xLikesY = {
  link: 'EvaluationLink',
  out: [
    { node: 'PredicateNode', name: 'likes' },
    { link: 'ListLink', out: [{ var: '$X' }, { var: '$Y' }] },
  ],
} as const;

describe('matchPattern', () => {
  it('reproduces AttentionalFocusCBUTest (af-filtering-test.scm): only the in-focus link grounds', () => {
    // opencog/attention tests/attentionbank/AttentionalFocusCBUTest.cxxtest with af-filtering-test.scm:
    // three InheritanceLinks to "man", only the Einstein link has an AV set (STI 35) and so sits in the
    // attentional focus; af_bindlink on (Inheritance $X man) returns exactly one answer.
    const { s, ein, inh } = world();
    s.setAv(inh[1]!, 35, 10, 0);
    const all = matchPattern(s, { where: isMan });
    expect(all).toHaveLength(3);
    const inFocus = matchPattern(s, { where: isMan, accept: (h) => s.getSti(h) > 0 });
    expect(inFocus).toEqual([{ $X: ein }]);
  });

  it('grounds nested link patterns with typed variables', () => {
    const { s, soc, ein, math, wine } = world();
    const r = matchPattern(s, { vars: { $X: 'ConceptNode', $Y: 'ConceptNode' }, where: xLikesY });
    expect(r).toHaveLength(3);
    expect(r).toContainEqual({ $X: ein, $Y: math });
    expect(r).toContainEqual({ $X: soc, $Y: wine });
    expect(matchPattern(s, { vars: { $Y: 'PredicateNode' }, where: xLikesY })).toEqual([]);
  });

  it('joins conjunctions on shared variables', () => {
    const { s, soc, ein, math, wine } = world();
    const r = matchPattern(s, {
      where: { and: [xLikesY, isMan, { link: 'ListLink', out: [{ var: '$X' }, { handle: math }] }] },
    });
    // Socrates likes wine and math; the third clause does not constrain $Y, so (soc, wine) stays.
    expect(r).toHaveLength(3);
    expect(r).toContainEqual({ $X: soc, $Y: wine });
    expect(r).toContainEqual({ $X: ein, $Y: math });
    const pinned = matchPattern(s, {
      where: {
        and: [
          xLikesY,
          isMan,
          { link: 'ListLink', out: [{ var: '$X' }, { var: '$Y' }] },
          { link: 'InheritanceLink', out: [{ var: '$Y' }, { var: '$Z' }] },
        ],
      },
    });
    expect(pinned).toEqual([]);
  });

  it('unions disjunctions without duplicates', () => {
    const { s, soc, ein, pei, math } = world();
    const r = matchPattern(s, {
      where: { or: [isMan, { link: 'ListLink', out: [{ var: '$X' }, { handle: math }] }] },
    });
    expect(r.map((b) => b.$X).sort()).toEqual([soc, ein, pei].sort());
  });

  it('filters by absence (negation as failure)', () => {
    const { s, pei } = world();
    const r = matchPattern(s, { where: { and: [isMan, { absent: xLikesY }] } });
    expect(r).toEqual([{ $X: pei }]);
    expect(matchPattern(s, { where: { and: [{ absent: xLikesY }, isMan] } })).toEqual([{ $X: pei }]);
  });

  it('binds a repeated variable to one atom and scans by type without constants', () => {
    const s = new AtomSpace();
    const a = s.addNode('ConceptNode', 'a');
    const b = s.addNode('ConceptNode', 'b');
    s.addLink('ListLink', [a, a]);
    s.addLink('ListLink', [a, b]);
    expect(matchPattern(s, { where: { link: 'ListLink', out: [{ var: '$X' }, { var: '$X' }] } })).toEqual([{ $X: a }]);
    expect(matchPattern(s, { where: { link: 'ListLink', out: [{ var: '$X' }, { var: '$Y' }] } })).toHaveLength(2);
    expect(matchPattern(s, { where: { link: 'ListLink', out: [{ var: '$X' }] } })).toEqual([]);
  });

  it('rejects malformed queries with typed errors', () => {
    const s = new AtomSpace();
    expectCode(() => matchPattern(s, {} as never), 'DTE_ERR_HG_BAD_QUERY');
    expectCode(() => matchPattern(s, { where: { and: [] } }), 'DTE_ERR_HG_BAD_QUERY');
    expectCode(() => matchPattern(s, { where: { foo: 1 } as never }), 'DTE_ERR_HG_BAD_QUERY');
    expectCode(() => matchPattern(s, { where: { link: 'ConceptNode', out: [] } }), 'DTE_ERR_HG_BAD_QUERY');
    expectCode(() => matchPattern(s, { where: { link: 'NopeLink', out: [] } }), 'DTE_ERR_HG_UNKNOWN_TYPE');
    expectCode(() => matchPattern(s, { vars: { $X: 'NopeNode' }, where: isMan }), 'DTE_ERR_HG_UNKNOWN_TYPE');
  });
});

describe('unordered links', () => {
  it('hash-cons SetLink(a, b) and SetLink(b, a) to one atom and match members in any order', () => {
    const s = new AtomSpace();
    const a = s.addNode('ConceptNode', 'a');
    const b = s.addNode('ConceptNode', 'b');
    const c = s.addNode('PredicateNode', 'c');
    const ab = s.addLink('SetLink', [b, a]);
    expect(s.addLink('SetLink', [a, b])).toBe(ab);
    expect(s.getLink('SetLink', [b, a])).toBe(ab);
    expect(s.outgoingOf(ab)).toEqual([a, b].sort((x, y) => x - y));
    expect(s.addLink('ListLink', [b, a])).not.toBe(s.addLink('ListLink', [a, b]));
    s.addLink('SetLink', [c, a]);
    // Typed variable picks the right member whatever the stored order.
    const r = matchPattern(s, {
      vars: { $P: 'PredicateNode' },
      where: { link: 'SetLink', out: [{ var: '$P' }, { handle: a }] },
    });
    expect(r).toEqual([{ $P: c }]);
    // Two free variables ground both ways round.
    const both = matchPattern(s, {
      vars: { $X: 'ConceptNode', $Y: 'ConceptNode' },
      where: { link: 'SetLink', out: [{ var: '$X' }, { var: '$Y' }] },
    });
    expect(both).toHaveLength(2);
    expect(both).toContainEqual({ $X: a, $Y: b });
    expect(both).toContainEqual({ $X: b, $Y: a });
    const big = Array.from({ length: 9 }, () => ({ var: '$Z' }));
    expectCode(() => matchPattern(s, { where: { link: 'SetLink', out: big } }), 'DTE_ERR_HG_BAD_QUERY');
  });
});
