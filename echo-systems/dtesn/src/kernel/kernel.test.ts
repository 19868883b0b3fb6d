import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { parsePLingua } from '../psystem/parsePLingua.ts';
import { Dtesn, type DtesnSurprise, type ReflexAction } from './Dtesn.ts';
import { dtesnMachine } from './dtesnMachine.ts';
import { MembraneReservoirTree } from './MembraneReservoirTree.ts';
import { membraneProgram } from './membraneRules.ts';
import { membraneTree } from './membraneTree.ts';

describe('membraneTree', () => {
  it('lays out 9 membranes as a balanced A000081 tree by default', () => {
    const t = membraneTree(9);
    expect(Math.max(...t.levels)).toBe(3);
    expect(Math.max(...t.children.map((c) => c.length))).toBeLessThanOrEqual(3);
    // Every child comes before its parent in the update order.
    const pos = new Map(t.postorder.map((v, i) => [v, i]));
    t.parents.forEach((p, i) => {
      if (p >= 0) expect(pos.get(i)!).toBeLessThan(pos.get(p)!);
    });
  });
  it('picks trees by enumeration index and rejects out-of-range ones', () => {
    expect(membraneTree(4, 3).levels).toEqual([1, 2, 2, 2]);
    expect(() => membraneTree(4, 4)).toThrow(expect.objectContaining({ code: 'DTE_ERR_DTESN_BAD_ARGUMENT' }));
  });
  it('builds a P-Lingua program in which quanta climb to the skin', () => {
    const model = parsePLingua(membraneProgram(membraneTree(3, 0)));
    expect(model.structure.children[0]!.children[0]!.label).toBe('m2');
  });
});

const wave = (t: number): number[] => [Math.sin(t / 4), Math.cos(t / 7), Math.sin(t / 4) * Math.cos(t / 7)];

describe('MembraneReservoirTree', () => {
  const options = { sensorDim: 3, numActions: 2, membranes: 4, units: 20, refitEvery: 100, ridge: 1e-6, seed: 3 };

  it('learns to predict a quasi-periodic sensation better than persistence', () => {
    const tree = new MembraneReservoirTree(options);
    let late = 0;
    let persistence = 0;
    for (let t = 0; t < 600; t++) {
      const r = tree.tick(wave(t), { lastAction: wave(t - 1)[0]! > 0 ? 0 : 1 });
      if (t >= 500) {
        late += r.surprise;
        persistence += wave(t).reduce((s, v, j) => s + (v - wave(t - 1)[j]!) ** 2, 0) / 3;
      }
    }
    expect(late).toBeLessThan(0.1 * persistence);
  });

  it('learns from a mix of ticks with and without actions', () => {
    const tree = new MembraneReservoirTree(options);
    let late = 0;
    let persistence = 0;
    for (let t = 0; t < 400; t++) {
      const r = tree.tick(wave(t), t % 3 === 0 ? {} : { lastAction: wave(t - 1)[0]! > 0 ? 0 : 1 });
      if (t >= 300) {
        late += r.surprise;
        persistence += wave(t).reduce((s, v, j) => s + (v - wave(t - 1)[j]!) ** 2, 0) / 3;
        expect(r.actionScores).toHaveLength(2);
      }
    }
    expect(late).toBeLessThan(0.2 * persistence);
  });

  it('moves quanta and activation through the membranes each tick', () => {
    const tree = new MembraneReservoirTree(options);
    const first = tree.tick([1, 1, 1]).activation;
    const later = tree.tick([1, 1, 1]).activation;
    tree.tick([1, 1, 1]);
    const root = tree.tick([1, 1, 1]).activation[0]!;
    expect(first.some((a) => a > 0)).toBe(true);
    expect(later.reduce((s, a) => s + a, 0)).toBeGreaterThan(0);
    expect(root).toBeGreaterThan(0);
  });

  it('is deterministic per seed', () => {
    const a = new MembraneReservoirTree(options);
    const b = new MembraneReservoirTree(options);
    for (let t = 0; t < 120; t++) {
      const ra = a.tick(wave(t));
      const rb = b.tick(wave(t));
      expect(ra.surprise).toBe(rb.surprise);
    }
  });

  it('rejects sensations of the wrong size with a typed error', () => {
    const tree = new MembraneReservoirTree(options);
    expect(() => tree.tick([1, 2])).toThrow(expect.objectContaining({ code: 'DTE_ERR_DTESN_SHAPE_MISMATCH' }));
  });
});

describe('Dtesn and dtesnMachine', () => {
  it('emits surprise per agent and learns reflexes from the actions taken', () => {
    const kernel = new Dtesn({ sensorDim: 3, numActions: 2, membranes: 3, units: 20, refitEvery: 100, seed: 5 });
    const surprises: DtesnSurprise[] = [];
    const reflexes: ReflexAction[] = [];
    kernel.surprise$.subscribe((s) => surprises.push(s));
    kernel.reflexes$.subscribe((r) => reflexes.push(r));
    let correct = 0;
    let total = 0;
    for (let t = 0; t < 400; t++) {
      const policy = (k: number): number => (wave(k)[0]! > 0 ? 0 : 1);
      reflexes.length = 0;
      kernel.tick([
        { agentId: 'a', sensation: wave(t), lastAction: policy(t - 1) },
        { agentId: 'b', sensation: wave(t + 50) },
      ]);
      if (t >= 300) {
        const r = reflexes.find((x) => x.agentId === 'a');
        expect(r).toBeDefined();
        total++;
        if (r!.action === policy(t)) correct++;
      }
    }
    expect(surprises.filter((s) => s.tick === 0).map((s) => s.agentId)).toEqual(['a', 'b']);
    expect(kernel.agents()).toEqual(['a', 'b']);
    expect(correct / total).toBeGreaterThan(0.9);
  });

  it('rejects a bad configuration at construction', () => {
    expect(() => new Dtesn({ sensorDim: 0 })).toThrow(expect.objectContaining({ code: 'DTE_ERR_DTESN_BAD_ARGUMENT' }));
    expect(() => new Dtesn({ sensorDim: 2, units: 0 })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_DTESN_BAD_ARGUMENT' }),
    );
    expect(() => new Dtesn({ sensorDim: 2, membranes: 4, treeIndex: 9 })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_DTESN_BAD_ARGUMENT' }),
    );
  });

  it('moves idle → evolving → halted and records bad ticks as data', () => {
    const kernel = new Dtesn({ sensorDim: 2, membranes: 2, units: 8, seed: 1 });
    const actor = createActor(dtesnMachine, { input: { kernel } }).start();
    expect(actor.getSnapshot().value).toBe('idle');
    actor.send({ type: 'dtesn.tick', batch: [{ agentId: 'a', sensation: [0, 1] }] });
    expect(actor.getSnapshot().value).toBe('evolving');
    expect(actor.getSnapshot().context.ticks).toBe(1);
    actor.send({ type: 'dtesn.tick', batch: [{ agentId: 'a', sensation: [0] }] });
    expect(actor.getSnapshot().context.lastError).toBe('DTE_ERR_DTESN_SHAPE_MISMATCH');
    actor.send({ type: 'dtesn.halt' });
    actor.send({ type: 'dtesn.tick', batch: [{ agentId: 'a', sensation: [0, 1] }] });
    expect(actor.getSnapshot().value).toBe('halted');
    expect(kernel.ticks).toBe(2);
    actor.send({ type: 'dtesn.resume' });
    actor.send({ type: 'dtesn.tick', batch: [{ agentId: 'a', sensation: [1, 1] }] });
    expect(actor.getSnapshot().context.ticks).toBe(2);
    expect(kernel.ticks).toBe(3);
  });
});
