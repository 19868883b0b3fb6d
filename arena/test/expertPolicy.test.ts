import { describe, expect, it } from 'vitest';
import { expertPolicy, ForagingArena, Rng, sampleDiscrete } from '../src/index.ts';

function episodeStats(policy: 'expert' | 'random', seeds: number[]) {
  let reward = 0;
  let survived = 0;
  let agents = 0;
  for (const seed of seeds) {
    const env = new ForagingArena({ numAgents: 4, maxCycles: 200 });
    let { observations } = env.reset({ seed });
    const rng = new Rng(seed);
    for (let t = 0; env.agents.length > 0; t++) {
      const actions: Record<string, number> = {};
      for (const a of env.agents) {
        const obs = observations[a]!;
        const act =
          policy === 'expert'
            ? expertPolicy(obs, env.config.viewSize, t * 31 + a.length)
            : sampleDiscrete({ kind: 'discrete', n: 6 }, rng, obs.actionMask);
        expect(obs.actionMask[act], 'the expert only takes legal actions').toBe(1);
        actions[a] = act;
      }
      const res = env.step(actions);
      observations = res.observations;
      for (const r of Object.values(res.rewards)) reward += r;
      for (const tr of Object.values(res.truncations)) if (tr) survived++;
    }
    agents += env.possibleAgents.length;
  }
  return { reward: reward / agents, survival: survived / agents };
}

describe('expertPolicy', () => {
  it('forages far better than a random legal policy', () => {
    const seeds = [0, 1, 2, 3, 4, 5];
    const expert = episodeStats('expert', seeds);
    const random = episodeStats('random', seeds);
    expect(expert.reward).toBeGreaterThan(random.reward + 5);
    expect(expert.survival).toBeGreaterThan(random.survival);
  });
});
