import { AtomSpace } from '@dte/hypergraph';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttentionBank } from './AttentionBank.ts';
import { Ecan } from './Ecan.ts';
import { resolveEcanParams } from './EcanParams.ts';
import { stiRent, stiWage } from './economy.ts';

describe('AttentionBank', () => {
  it('pays OpenCog wages: 20 per unit far above target, 10 at target, 0 far below', () => {
    // AttentionBank.cc: startingFundsSTI 100000, targetSTI 10000, stiFundsBuffer 10000, STIAtomWage 10,
    // wage = 10 + 10 * clamp((funds - target) / buffer, -1, 1). HebbianCreationModuleUTest's stimulate(h, 200)
    // therefore gives 4000 STI.
    const p = resolveEcanParams();
    expect(stiWage(100_000, p)).toBe(20);
    expect(stiWage(10_000, p)).toBe(10);
    expect(stiWage(15_000, p)).toBe(15);
    expect(stiWage(-50_000, p)).toBe(0);
    expect(stiRent(10_000, p)).toBe(1);
    expect(stiRent(100_000, p)).toBe(0);
    expect(stiRent(0, p)).toBe(2);
    const as = new AtomSpace();
    const h = as.addNode('ConceptNode', 'kermit');
    const bank = new AttentionBank(as, p);
    expect(bank.stimulate(h, 200)).toBe(4000);
    expect(as.getSti(h)).toBe(4000);
    expect(as.getLti(h)).toBe(4000);
    expect(bank.fundsSti).toBe(96_000);
  });

  it('accounts for pre-existing STI, removals and writes made outside the bank', () => {
    const as = new AtomSpace();
    const a = as.addNode('ConceptNode', 'a', { av: { sti: 500, lti: 20 } });
    const bank = new AttentionBank(as, resolveEcanParams());
    expect(bank.fundsSti).toBe(99_500);
    as.setAv(a, 800, 20, 0);
    expect(bank.fundsSti).toBe(99_200);
    as.remove(a);
    expect(bank.fundsSti).toBe(100_000);
    expect(bank.fundsLti).toBe(100_000);
    const b = as.addNode('ConceptNode', 'b', { av: { sti: 7 } });
    expect(bank.totalSti()).toBe(100_000);
    bank.changeVlti(b, 2);
    expect(as.getVlti(b)).toBe(2);
    expect(() => bank.stimulate(9999, 1)).toThrow(expect.objectContaining({ code: 'DTE_ERR_ECAN_NOT_FOUND' }));
    expect(() => bank.stimulate(b, Number.NaN)).toThrow(expect.objectContaining({ code: 'DTE_ERR_ECAN_BAD_ARGUMENT' }));
    expect(() => bank.changeVlti(b, 0.5)).toThrow(expect.objectContaining({ code: 'DTE_ERR_ECAN_BAD_ARGUMENT' }));
  });

  it('property: funds + sum of STI (and LTI) stay constant through every operation', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('stim' as const), i: fc.nat(), s: fc.double({ min: -50, max: 500, noNaN: true }) }),
      fc.record({ k: fc.constant('tick' as const) }),
      fc.record({ k: fc.constant('add' as const), i: fc.nat(), j: fc.nat() }),
      fc.record({ k: fc.constant('rm' as const), i: fc.nat() }),
      fc.record({
        k: fc.constant('trade' as const),
        i: fc.nat(),
        j: fc.nat(),
        x: fc.double({ min: -100, max: 100, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer(), (ops, seed) => {
        const as = new AtomSpace();
        for (let i = 0; i < 12; i++) as.addNode('ConceptNode', `n${i}`);
        const ecan = new Ecan(as, { seed, params: { focusSize: 4, forgetMaxAtoms: 14, forgetSizeSpread: 2 } });
        const start = ecan.params.startingFundsSti;
        for (const o of ops) {
          const hs = as.handles();
          const pick = (i: number) => hs[i % hs.length]!;
          if (o.k === 'tick') ecan.tick();
          else if (hs.length === 0) continue;
          else if (o.k === 'stim') ecan.stimulate(pick(o.i), o.s);
          else if (o.k === 'add') as.addLink('ListLink', [pick(o.i), pick(o.j)]);
          else if (o.k === 'rm') as.remove(pick(o.i), { recursive: true });
          else ecan.bank.tradeSti(pick(o.i), pick(o.j), o.x);
          const tol = 1e-6 * (1 + Math.abs(ecan.bank.fundsSti));
          expect(Math.abs(ecan.bank.totalSti() - start)).toBeLessThan(tol);
          expect(Math.abs(ecan.bank.totalLti() - ecan.params.startingFundsLti)).toBeLessThan(
            1e-6 * (1 + Math.abs(ecan.bank.fundsLti)),
          );
        }
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});
