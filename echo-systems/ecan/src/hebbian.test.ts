import { AtomSpace } from '@dte/hypergraph';
import { describe, expect, it } from 'vitest';
import { Ecan } from './Ecan.ts';
import { resolveEcanParams } from './EcanParams.ts';
import { normalisedZeroToOne, targetConjunction, updateHebbianLinks } from './hebbian.ts';

describe('Hebbian links', () => {
  it('reproduces HebbianCreationModuleUTest: 4 focus atoms -> n(n-1) = 12 AsymmetricHebbianLinks', () => {
    // opencog/attention tests/attention/HebbianCreationModuleUTest.cxxtest: Kermit, Frog, Animal, alive
    // are stimulated by 200 and enter the focus; slimy and the dummy atoms stay out. Exactly 12 links form.
    const as = new AtomSpace();
    const tv = (s: number) => ({ tv: { strength: s, confidence: 0.9 } });
    const kermit = as.addNode('ConceptNode', 'Kermit', tv(0.001));
    const frog = as.addNode('ConceptNode', 'Frog', tv(0.01));
    const animal = as.addNode('ConceptNode', 'Animal', tv(0.1));
    const alive = as.addNode('PredicateNode', 'alive', tv(0.01));
    const slimy = as.addNode('PredicateNode', 'slimy', tv(0.01));
    as.addLink('InheritanceLink', [kermit, frog], tv(0.9));
    as.addLink('InheritanceLink', [frog, animal], tv(0.9));
    as.addLink('EvaluationLink', [frog, alive], tv(0.9));
    as.addLink('EvaluationLink', [frog, slimy], tv(0.9));
    const d1 = as.addNode('ConceptNode', 'Dummy1', tv(0.001));
    const d2 = as.addNode('ConceptNode', 'Dummy2', tv(0.001));
    as.addLink('InheritanceLink', [d1, d2], tv(0.9));
    const ecan = new Ecan(as, { seed: 1 });
    for (const h of [kermit, frog, animal, alive]) ecan.stimulate(h, 200);
    const { entered } = ecan.updateFocus();
    expect(ecan.focus()).toHaveLength(4);
    expect(entered.sort()).toEqual([kermit, frog, animal, alive].sort());
    const heb = as.handlesOfType('AsymmetricHebbianLink');
    expect(heb).toHaveLength(12);
    const members = new Set(heb.flatMap((l) => as.outgoingOf(l)));
    expect([...members].sort()).toEqual([kermit, frog, animal, alive].sort());
    for (const l of heb) {
      expect(as.getTv(l)).toMatchObject({ strength: 0.5, confidence: 0.1 });
      expect(as.getVlti(l)).toBe(1);
    }
    ecan.updateFocus();
    expect(as.handlesOfType('AsymmetricHebbianLink')).toHaveLength(12);
  });

  it('targetConjunction follows HebbianUpdatingAgent', () => {
    expect(targetConjunction(1, 1)).toBe(1);
    expect(targetConjunction(0, 0)).toBe(0.5);
    expect(targetConjunction(1, 0)).toBe(0); // (0 + (-1)(1) + 1) / 2
    expect(targetConjunction(0, 1)).toBe(1); // (0 + 1 + 1) / 2
    expect(targetConjunction(0.5, 0.25)).toBeCloseTo((0.125 - 0.0625 + 1) / 2, 12);
    expect(normalisedZeroToOne(5, 0, 10)).toBe(0.5);
    expect(normalisedZeroToOne(50, 0, 10)).toBe(1);
    expect(normalisedZeroToOne(3, 3, 3)).toBe(0);
  });

  it('updates strength by tc = 0.1 * target + 0.9 * old (tick-free, no merge no-op)', () => {
    const as = new AtomSpace();
    const a = as.addNode('ConceptNode', 'a', { av: { sti: 10 } });
    const b = as.addNode('ConceptNode', 'b', { av: { sti: 0 } });
    const l = as.addLink('AsymmetricHebbianLink', [a, b], { tv: { strength: 0.5, confidence: 0.1 } });
    as.addLink('AsymmetricHebbianLink', [b, a]);
    const n = updateHebbianLinks(as, a, { min: 0, max: 10 }, resolveEcanParams());
    expect(n).toBe(1);
    // ni = 1, nj = 0 -> target 0; 0.1 * 0 + 0.9 * 0.5 = 0.45
    expect(as.getTv(l).strength).toBeCloseTo(0.45, 12);
    expect(as.getTv(l).confidence).toBe(0.1);
  });

  it('caps Hebbian links per atom, removing the weakest', () => {
    const as = new AtomSpace();
    const hs = Array.from({ length: 6 }, (_, i) => as.addNode('ConceptNode', `n${i}`));
    const ecan = new Ecan(as, { params: { maxHebbianLinks: 4, localFarLinkRatio: 1000 } });
    for (const h of hs) ecan.stimulate(h, 10);
    ecan.updateFocus();
    for (const h of hs) expect(as.incomingByType(h, 'HebbianLink', true).length).toBeLessThanOrEqual(10);
    const last = hs[5]!;
    expect(as.incomingByType(last, 'HebbianLink', true).length).toBeLessThanOrEqual(4);
  });
});
