import { AtomSpace } from '@dte/hypergraph';
import { describe, expect, it } from 'vitest';
import { Ecan, type FocusEvent } from './Ecan.ts';
import { diffFocus, selectFocus } from './selectFocus.ts';

describe('attentional focus', () => {
  it('selects the top K by STI above the boundary, ties to the lower handle', () => {
    const as = new AtomSpace();
    const stis = [5, 50, 0, 20, 50, -3, 7];
    const hs = stis.map((s, i) => as.addNode('ConceptNode', `n${i}`, { av: { sti: s } }));
    expect(selectFocus(as, 3, 0)).toEqual([hs[1], hs[4], hs[3]]);
    expect(selectFocus(as, 10, 0)).toEqual([hs[1], hs[4], hs[3], hs[6], hs[0]]);
    expect(selectFocus(as, 10, 6)).toEqual([hs[1], hs[4], hs[3], hs[6]]);
    expect(diffFocus([1, 2, 3], [2, 3, 4])).toEqual({ entered: [4], left: [1] });
  });

  it('follows AttentionBank::updateAttentionalFocus: a higher-STI atom displaces the least one when full', () => {
    // opencog/attention AttentionBank.cc: with maxAFSize atoms in the AF, an atom whose STI exceeds the
    // least AF atom's STI replaces it (RemoveAFSignal for the old, AddAFSignal for the new); a lower one does not enter.
    const as = new AtomSpace();
    const hs = Array.from({ length: 5 }, (_, i) => as.addNode('ConceptNode', `n${i}`));
    const ecan = new Ecan(as, { params: { focusSize: 3 } });
    const events: FocusEvent[] = [];
    ecan.focusEvents$.subscribe((e) => events.push(e));
    ecan.stimulate(hs[0]!, 3);
    ecan.stimulate(hs[1]!, 2);
    ecan.stimulate(hs[2]!, 4);
    ecan.updateFocus();
    expect(ecan.focus()).toEqual([hs[2], hs[0], hs[1]]);
    ecan.stimulate(hs[3]!, 1); // lower than the least (hs[1]): stays out
    ecan.updateFocus();
    expect(ecan.focus()).toEqual([hs[2], hs[0], hs[1]]);
    ecan.stimulate(hs[4]!, 10); // displaces hs[1]
    ecan.updateFocus();
    expect(ecan.focus()).toEqual([hs[4], hs[2], hs[0]]);
    expect(events.map((e) => `${e.kind}:${e.handle}`)).toEqual([
      `enter:${hs[2]}`,
      `enter:${hs[0]}`,
      `enter:${hs[1]}`,
      `leave:${hs[1]}`,
      `enter:${hs[4]}`,
    ]);
  });
});
