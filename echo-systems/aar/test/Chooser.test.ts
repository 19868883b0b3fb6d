import { createEngine, loadModel } from '@dte/engine-core';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { choicePrompt, EngineChooser, TeacherChooser } from '../src/index.ts';

const OPTIONS = [
  'drink at the spring seen at t3, 4 steps north',
  'eat the food seen at t1, 2 steps east',
  'explore west (unknown ground 3 steps away)',
];

describe.skipIf(!hasSharedModel())('EngineChooser on stories260K', () => {
  async function setup() {
    const loaded = await loadModel(sharedModel('stories260K.gguf'), { numBlocks: 64 });
    const engine = createEngine(loaded, { policy: 'priority' });
    return { engine, chooser: new EngineChooser(engine, loaded.tokenizer, 1.0) };
  }

  it('always answers one of the options, whatever their number, and shows them numbered', async () => {
    const { chooser, engine } = await setup();
    for (let n = 1; n <= 9; n++) {
      const options = Array.from({ length: n }, (_, i) => `option text ${i}`);
      const c = await chooser.choose({
        owner: 'agent_0',
        context: 'You are a small creature.',
        options,
        priority: 50,
        signal: new AbortController().signal,
        seed: n,
      });
      expect(c.index).toBeGreaterThanOrEqual(0);
      expect(c.index).toBeLessThan(n);
      expect(c.prompt).toBe(choicePrompt('You are a small creature.', options));
      expect(c.prompt).toContain(`${n}. option text ${n - 1}\nI choose option `);
    }
    await engine.close();
  });

  it('is reproducible for a seed and uses nine distinct digit tokens', async () => {
    const { chooser, engine } = await setup();
    expect(new Set(chooser.digitTokens()).size).toBe(9);
    const ask = (seed: number) =>
      chooser.choose({
        owner: 'a',
        context: 'Once upon a time',
        options: OPTIONS,
        priority: 1,
        signal: new AbortController().signal,
        seed,
      });
    const a = await Promise.all([1, 2, 3, 4, 5, 6].map(ask));
    const b = await Promise.all([1, 2, 3, 4, 5, 6].map(ask));
    expect(b.map((c) => c.index)).toEqual(a.map((c) => c.index));
    await engine.close();
  });
});

describe('TeacherChooser', () => {
  it('answers from the options behind the labels and records every prompt', async () => {
    const teacher = new TeacherChooser();
    const place = (kind: 'water' | 'food', state: 'full' | 'dry' | 'eaten', seen: number) => ({
      kind,
      x: 0,
      y: 0,
      state,
      seen,
    });
    const detail = {
      options: [
        {
          kind: 'drink' as const,
          target: { x: 0, y: 0 },
          place: place('water', 'dry', 9),
          steps: 4,
          direction: 'north',
          label: OPTIONS[0]!,
        },
        {
          kind: 'eat' as const,
          target: { x: 0, y: 0 },
          place: place('food', 'full', 1),
          steps: 2,
          direction: 'east',
          label: OPTIONS[1]!,
        },
        { kind: 'explore' as const, target: { x: 0, y: 0 }, steps: 3, direction: 'west', label: OPTIONS[2]! },
      ],
      body: {
        energy: 0.5,
        hydration: 0.3,
        health: 1,
        dEnergy: 0,
        dHydration: 0,
        dHealth: 0,
        lastActionOk: 1,
        collided: 0,
        pain: 0,
      },
      tick: 20,
      regrowth: { waterRefillTicks: 70, foodRegrowTicks: 90 },
    };
    const req = { owner: 'a', context: 'ctx', options: OPTIONS, priority: 0, signal: new AbortController().signal };
    // Thirsty, but the only spring was dry 11 ticks ago (it takes 70): the food, the other need.
    expect((await teacher.choose({ ...req, detail })).index).toBe(1);
    // Sated: explore.
    const sated = { ...detail, body: { ...detail.body, energy: 0.95, hydration: 0.95 } };
    expect((await teacher.choose({ ...req, detail: sated })).index).toBe(2);
    // Long enough after it ran dry, the spring serves the thirst.
    expect((await teacher.choose({ ...req, detail: { ...detail, tick: 200 } })).index).toBe(0);
    expect(teacher.answered.map((a) => a.answer)).toEqual([1, 2, 0]);
    expect(teacher.answered[0]!.prompt).toBe(choicePrompt('ctx', OPTIONS));
    await expect(teacher.choose(req)).rejects.toThrow(expect.objectContaining({ code: 'DTE_ERR_AAR_BAD_ARGUMENT' }));
  });
});
