import { AtomSpace, GraphologyAtomSpace, type HypergraphStore } from '@dte/hypergraph';
import { describe, expect, it } from 'vitest';
import { AttentionBank } from './AttentionBank.ts';
import {
  combineIncidentAdjacentVectors,
  diffuseAtom,
  hebbianAdjacentAtoms,
  hebbianDiffusionPercentage,
  incidentAtoms,
  probabilityVectorHebbianAdjacent,
  probabilityVectorIncident,
  spreadImportance,
} from './diffusion.ts';
import { resolveEcanParams } from './EcanParams.ts';

// Oracles from opencog/attention tests/attention/ImportanceDiffusionUTest.cxxtest. Its setUp builds:
//   (AsymmetricHebbianLink (Node "X") target (stv 0.6 0.9))
//   heblink = (AsymmetricHebbianLink src target (stv 0.7 0.9))      src = A, target = Y
//   inhlink = (InheritanceLink src (Node "B"))
//   implink = (ImplicationLink inhlink (InheritanceLink src (Node "C")))
function setUpWith(make: () => HypergraphStore) {
  const as = make();
  const n = (x: string) => as.addNode('ConceptNode', x);
  const src = n('A');
  const target = n('Y');
  as.addLink('AsymmetricHebbianLink', [n('X'), target], { tv: { strength: 0.6, confidence: 0.9 } });
  const heblink = as.addLink('AsymmetricHebbianLink', [src, target], { tv: { strength: 0.7, confidence: 0.9 } });
  const inhlink = as.addLink('InheritanceLink', [src, n('B')]);
  const inhC = as.addLink('InheritanceLink', [src, n('C')]);
  const implink = as.addLink('ImplicationLink', [inhlink, inhC]);
  const params = resolveEcanParams();
  const bank = new AttentionBank(as, params);
  return { as, src, target, heblink, inhlink, inhC, implink, params, bank };
}

describe.each([
  ['AtomSpace', () => new AtomSpace()],
  ['GraphologyAtomSpace', () => new GraphologyAtomSpace()],
] as const)('importance diffusion (ImportanceDiffusionUTest oracles) on %s', (_name, make) => {
  const setUp = () => setUpWith(make);
  it('testCalculateHebbianDiffusionPercentage: strength x confidence', () => {
    const { as, heblink } = setUp();
    expect(hebbianDiffusionPercentage(as, heblink)).toBeCloseTo(0.7 * 0.9, 12);
  });

  it('testTradeSTI: 12.12 moves from a1 to a2', () => {
    const { as, bank } = setUp();
    const a1 = as.addNode('ConceptNode', 'A1');
    const a2 = as.addNode('ConceptNode', 'A2');
    bank.stimulate(a1, 50);
    bank.stimulate(a2, 50);
    const [s1, s2, funds] = [as.getSti(a1), as.getSti(a2), bank.fundsSti];
    bank.tradeSti(a1, a2, 12.12);
    expect(as.getSti(a1)).toBeCloseTo(s1 - 12.12, 9);
    expect(as.getSti(a2)).toBeCloseTo(s2 + 12.12, 9);
    expect(bank.fundsSti).toBeCloseTo(funds, 9);
  });

  it('testIncidentAtoms: 2 for src, 3 for inhlink (Hebbian links excluded)', () => {
    const { as, src, inhlink, implink } = setUp();
    expect(incidentAtoms(as, src)).toHaveLength(2);
    expect(incidentAtoms(as, inhlink).sort()).toEqual([implink, ...as.outgoingOf(inhlink)].sort());
  });

  it('testHebbianAdjacentAtoms: 1 for src', () => {
    const { as, src, target } = setUp();
    expect(hebbianAdjacentAtoms(as, src)).toEqual([target]);
  });

  it('testProbabilityVectorIncident: 1/2 each', () => {
    const { as, src } = setUp();
    const v = probabilityVectorIncident(incidentAtoms(as, src));
    expect([...v.values()]).toEqual([0.5, 0.5]);
  });

  it('testProbabilityVectorHebbianAdjacent: one entry of 0.7 * 0.9', () => {
    const { as, src } = setUp();
    const v = probabilityVectorHebbianAdjacent(as, src, hebbianAdjacentAtoms(as, src));
    expect(v.size).toBe(1);
    expect([...v.values()][0]).toBeCloseTo(0.7 * 0.9, 12);
  });

  it('testCombineIncidentAdjacentVectors: 3 entries summing to 1', () => {
    const { as, src, target, params } = setUp();
    const inc = probabilityVectorIncident(incidentAtoms(as, src));
    const adj = probabilityVectorHebbianAdjacent(as, src, hebbianAdjacentAtoms(as, src));
    const c = combineIncidentAdjacentVectors(inc, adj, params.hebbianMaxAllocation);
    expect(c.size).toBe(3);
    expect(c.get(target)).toBeCloseTo(0.05 * 0.63, 12);
    expect([...c.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('testDiffuseAtom: 3 events totalling 0.3 x STI', () => {
    const { as, src, bank, params } = setUp();
    bank.stimulate(src, 50);
    const sti = as.getSti(src);
    expect(sti).toBe(1000); // wage 10 + 10 * clamp((100000 - 10000) / 10000) = 20 per unit
    const events = diffuseAtom(as, src, 0.3, params);
    expect(events).toHaveLength(3);
    expect(events.reduce((a, e) => a + e.amount, 0)).toBeCloseTo(0.3 * sti, 9);
  });

  it('spreadImportance moves max-spread STI and conserves the total', () => {
    const { as, src, target, bank, params } = setUp();
    bank.stimulate(src, 50);
    const total = bank.totalSti();
    const moved = spreadImportance(bank, [src], params);
    expect(moved).toBeCloseTo(0.4 * 1000, 9);
    expect(as.getSti(src)).toBeCloseTo(600, 9);
    expect(as.getSti(target)).toBeCloseTo(400 * 0.05 * 0.63, 9);
    expect(bank.totalSti()).toBeCloseTo(total, 6);
    expect(spreadImportance(bank, [], params)).toBe(0);
  });

  it('spreadHebbianOnly diffuses along Hebbian links alone', () => {
    const { as, src, target, bank } = setUp();
    bank.stimulate(src, 50);
    const events = diffuseAtom(as, src, 0.4, resolveEcanParams({ spreadHebbianOnly: true }));
    expect(events.map((e) => e.target)).toEqual([target]);
  });
});
