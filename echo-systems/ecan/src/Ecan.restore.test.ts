import { AtomSpace, fromSnapshot, type HypergraphStore, toSnapshot } from '@dte/hypergraph';
import { describe, expect, it } from 'vitest';
import { Ecan } from './Ecan.ts';

function build(): HypergraphStore {
  const as = new AtomSpace();
  const hs = Array.from({ length: 40 }, (_, i) => as.addNode('ConceptNode', `n${i}`));
  for (let i = 0; i < 40; i++) as.addLink('InheritanceLink', [hs[i]!, hs[(i * 7 + 3) % 40]!]);
  return as;
}

function drive(ecan: Ecan, from: number, to: number): void {
  for (let t = from; t < to; t++) {
    const h = 1 + ((t * 13) % 40);
    if (ecan.store.has(h)) ecan.stimulate(h, 2 + (t % 3));
    ecan.tick();
  }
}

const params = { focusSize: 6, hebbianUpdateSources: 2, forgetMaxAtoms: 150, forgetSizeSpread: 5 };

describe('Ecan save and restore', () => {
  it('resumes exactly from a store snapshot plus getState()', () => {
    const a = build();
    const ecanA = new Ecan(a, { seed: 9, params });
    drive(ecanA, 0, 6);
    const snap = JSON.parse(JSON.stringify(toSnapshot(a)));
    const state = JSON.parse(JSON.stringify(ecanA.getState()));
    drive(ecanA, 6, 14);

    const b = fromSnapshot(snap);
    // Funds recomputed from the atoms agree with the saved ones up to rounding.
    expect(new Ecan(fromSnapshot(snap), { params }).bank.fundsSti).toBeCloseTo(state.fundsSti, 6);
    const ecanB = new Ecan(b, { seed: 12345, params, state });
    expect(ecanB.bank.fundsSti).toBe(state.fundsSti);
    expect(Math.abs(ecanB.bank.totalSti() - ecanB.params.startingFundsSti)).toBeLessThan(1e-6 * (1 + sumSti(b)));
    drive(ecanB, 6, 14);
    expect(toSnapshot(b)).toEqual(toSnapshot(a));
    expect(ecanB.focus()).toEqual(ecanA.focus());
    expect(ecanB.ticks).toBe(ecanA.ticks);
    expect(ecanB.bank.fundsSti).toBe(ecanA.bank.fundsSti);
  });

  it('rejects a malformed state', () => {
    expect(
      () => new Ecan(build(), { state: { tick: 1, rng: [1], focus: [], fundsSti: 0, fundsLti: 0 } as never }),
    ).toThrow(expect.objectContaining({ code: 'DTE_ERR_ECAN_BAD_ARGUMENT' }));
  });
});

function sumSti(s: HypergraphStore): number {
  let t = 0;
  for (const h of s.handles()) t += s.getSti(h);
  return t;
}
