import { describe, expect, it } from 'vitest';
import { Action, expertPolicy, ForagingArena } from '../src/index.ts';

describe('describeObservation', () => {
  it('spells out both sides of the agent, and the expert turns the way the text shows is free', () => {
    const env = new ForagingArena({ width: 8, height: 8, numAgents: 2, maxCycles: 60 });
    let { observations } = env.reset({ seed: 11 });
    const k = env.config.viewSize;
    const seen = new Set<string>();
    let leftTurnsFromText = 0;
    while (env.agents.length > 0) {
      const actions: Record<string, number> = {};
      for (const id of env.agents) {
        const obs = observations[id]!;
        const m =
          /On your left (free ground|food|water|a wall|a hazard|another agent), on your right (free ground|food|water|a wall|a hazard|another agent)\./.exec(
            obs.text,
          );
        expect(m, obs.text).not.toBeNull();
        const code = { 'free ground': 1, 'a wall': 2, food: 3, water: 4, 'a hazard': 5, 'another agent': 6 };
        const half = (k - 1) >> 1;
        expect(obs.view[((k - 1) * k + half - 1) * 3]).toBe(code[m![1] as keyof typeof code]);
        expect(obs.view[((k - 1) * k + half + 1) * 3]).toBe(code[m![2] as keyof typeof code]);
        seen.add(m![1]!);
        const action = expertPolicy(obs, k);
        const free = (s: string) => s === 'free ground' || s === 'food' || s === 'water';
        if (action === Action.TurnLeft && /right in front/.test(obs.text) && free(m![1]!) && !free(m![2]!))
          leftTurnsFromText++;
        actions[id] = action;
      }
      observations = env.step(actions).observations;
    }
    expect(seen.has('free ground')).toBe(true);
    expect(seen.has('a wall')).toBe(true);
    expect(leftTurnsFromText).toBeGreaterThan(0);
  });
});
