import { AtomSpace } from '@dte/hypergraph';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { Ecan } from './Ecan.ts';

describe('Ecan streams (marble)', () => {
  it('emits focus enter/leave events and sti$ snapshots tick by tick', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const as = new AtomSpace();
      const [a, b] = [as.addNode('ConceptNode', 'a'), as.addNode('ConceptNode', 'b')];
      const ecan = new Ecan(as, { params: { focusSize: 1, maxSpreadPercentage: 0 } });
      // frame 1: stimulate a, tick; frame 3: stimulate b more strongly, tick.
      cold('-x-y|').subscribe((v) => {
        if (v === 'x') ecan.stimulate(a, 1);
        else ecan.stimulate(b, 5);
        ecan.tick();
      });
      expectObservable(ecan.focusEvents$.pipe(map((e) => `${e.kind}:${e.handle}`))).toBe('-e-(lf)', {
        e: `enter:${a}`,
        l: `leave:${a}`,
        f: `enter:${b}`,
      });
      expectObservable(ecan.sti$.pipe(map((s) => s.focus.map((x) => x.handle).join(',')))).toBe('-p-q', {
        p: `${a}`,
        q: `${b}`,
      });
    });
  });
});
