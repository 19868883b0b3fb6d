import { fileURLToPath } from 'node:url';
import { createEngine, loadModel } from '@dte/engine-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_VARIANTS, EngineChooser, runAblation } from '../src/index.ts';

// echo-tiny ships with the repository: the agents' own model.
const ECHO_TINY = fileURLToPath(new URL('../../../packages/trainer/models/echo-tiny.gguf', import.meta.url));
let loaded: Awaited<ReturnType<typeof loadModel>>;
beforeAll(async () => {
  loaded = await loadModel(ECHO_TINY, { numBlocks: 256 });
});
afterAll(() => loaded?.model.dispose());

describe('the closed loop', () => {
  it('a raised priority moves an agent’s deliberation ahead in a saturated step', async () => {
    const order = async (raise: boolean) => {
      // One sequence per step: whoever the scheduler picks first is answered first.
      const engine = createEngine(loaded, { policy: 'priority', maxNumSeqs: 1 });
      const chooser = new EngineChooser(engine, loaded.tokenizer, 0);
      const done: string[] = [];
      const ask = (owner: string) =>
        chooser
          .choose({
            owner,
            context: `You are ${owner}.\nIt is t3.\nNow: You face north.`,
            options: ['explore north (unknown ground 3 steps away)', 'explore east (unknown ground 4 steps away)'],
            priority: 10,
            signal: new AbortController().signal,
          })
          .then(() => done.push(owner));
      const a = ask('agent_0');
      const b = ask('agent_1');
      // The body of agent_1 turns urgent while both wait: the feedback loop raises it, live.
      if (raise) expect(engine.setPriority('agent_1', 90)).toBe(1);
      await Promise.all([a, b]);
      await engine.close();
      return done;
    };
    expect(await order(false)).toEqual(['agent_0', 'agent_1']); // first come, first served
    expect(await order(true)).toEqual(['agent_1', 'agent_0']);
  });

  it('the ablation runs end to end on 2 seeds, every variant, paired by seed', async () => {
    const r = await runAblation({
      seeds: [1, 2],
      agents: 6,
      ticks: 25,
      model: loaded,
      clock: 'paced',
      stepsPerTick: 1,
    });
    const variants = ECHO_VARIANTS.filter((v) => v !== 'teacher');
    expect(r.variants).toEqual(variants);
    for (const v of variants) {
      expect(r.runs[v]).toHaveLength(2);
      expect(Number.isFinite(r.summary[v]!.reward.mean)).toBe(true);
      expect(Number.isFinite(r.summary[v]!.reward.ci95)).toBe(true);
    }
    expect(Object.keys(r.pairedDelta).sort()).toEqual(variants.filter((v) => v !== 'full').sort());
    const delta = r.pairedDelta.random!;
    expect(delta.reward.mean).toBeCloseTo(r.summary.full!.reward.mean - r.summary.random!.reward.mean, 10);
    // Only the deliberating variants think; with one engine step per tick some thoughts come too late.
    expect(r.runs.reflex_only!.every((o) => o.thoughts === 0 && o.late === 0)).toBe(true);
    expect(r.runs.full!.every((o) => o.thoughts > 0)).toBe(true);
    expect(r.runs.full!.some((o) => o.late > 0)).toBe(true);
  });
});
