import { AtomSpace } from '@dte/hypergraph';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { Ecan } from './Ecan.ts';
import { ecanMachine } from './ecanMachine.ts';

describe('ecanMachine', () => {
  it('runs ticks only while running and accepts stimuli while paused', () => {
    const as = new AtomSpace();
    const h = as.addNode('ConceptNode', 'x');
    const ecan = new Ecan(as);
    const actor = createActor(ecanMachine, { input: { ecan } }).start();
    expect(actor.getSnapshot().value).toBe('idle');
    actor.send({ type: 'ecan.tick' });
    expect(ecan.ticks).toBe(0);
    actor.send({ type: 'ecan.start' });
    actor.send({ type: 'ecan.stimulate', handle: h, stimulus: 2 });
    actor.send({ type: 'ecan.tick' });
    expect(actor.getSnapshot().context.ticks).toBe(1);
    expect(actor.getSnapshot().context.lastReport?.entered).toEqual([h]);
    expect(actor.getSnapshot().context.focus).toEqual([h]);
    actor.send({ type: 'ecan.pause' });
    expect(actor.getSnapshot().value).toBe('paused');
    actor.send({ type: 'ecan.tick' });
    expect(ecan.ticks).toBe(1);
    const before = as.getSti(h);
    actor.send({ type: 'ecan.stimulate', handle: h, stimulus: 1 });
    expect(as.getSti(h)).toBeGreaterThan(before);
    actor.send({ type: 'ecan.stimulate', handle: 4242, stimulus: 1 });
    expect(actor.getSnapshot().context.lastError).toBe('DTE_ERR_ECAN_NOT_FOUND');
    actor.send({ type: 'ecan.resume' });
    actor.send({ type: 'ecan.tick' });
    expect(actor.getSnapshot().context.ticks).toBe(2);
    actor.send({ type: 'ecan.stop' });
    expect(actor.getSnapshot().value).toBe('idle');
  });
});
