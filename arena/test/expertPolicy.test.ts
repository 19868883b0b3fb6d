import { describe, expect, it } from 'vitest';
import {
  Action,
  expertPolicy,
  ForagingArena,
  type ForagingObservation,
  Rng,
  sampleDiscrete,
  ViewObject,
} from '../src/index.ts';

function episodeStats(policy: 'expert' | 'random', seeds: number[]) {
  let reward = 0;
  let survived = 0;
  let agents = 0;
  for (const seed of seeds) {
    const env = new ForagingArena({ numAgents: 4, maxCycles: 200 });
    let { observations } = env.reset({ seed });
    const rng = new Rng(seed);
    while (env.agents.length > 0) {
      const actions: Record<string, number> = {};
      for (const a of env.agents) {
        const obs = observations[a]!;
        const act =
          policy === 'expert'
            ? expertPolicy(obs, env.config.viewSize)
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

describe('expertPolicy reads only the observation', () => {
  const k = 5;
  const half = 2;
  /** An observation with free ground everywhere except `cells` ([ahead, side, object]). */
  function obs(cells: Array<[number, number, number]>, energy = 0.5, hydration = 0.9): ForagingObservation {
    const view = new Uint8Array(k * k * 3);
    for (let i = 0; i < k * k; i++) view[i * 3] = ViewObject.Empty;
    for (const [ahead, side, what] of cells) view[((k - 1 - ahead) * k + half + side) * 3] = what;
    const front = view[((k - 2) * k + half) * 3];
    const actionMask = new Uint8Array(6);
    actionMask[Action.Stay] = 1;
    actionMask[Action.TurnLeft] = 1;
    actionMask[Action.TurnRight] = 1;
    actionMask[Action.Forward] = front === ViewObject.Wall || front === ViewObject.Water ? 0 : 1;
    actionMask[Action.Eat] = front === ViewObject.Food ? 1 : 0;
    actionMask[Action.Drink] = front === ViewObject.Water ? 1 : 0;
    const proprio = new Float32Array([energy, hydration, 1, 0, 0, 0, 1, 0, 0]);
    return { view, proprio, actionMask, text: '', position: [5, 5], heading: 0 };
  }

  it('eats when hungry, heads for food in view and turns toward food level with it', () => {
    expect(expertPolicy(obs([[1, 0, ViewObject.Food]]), k)).toBe(Action.Eat);
    expect(expertPolicy(obs([[2, 1, ViewObject.Food]]), k)).toBe(Action.Forward);
    expect(expertPolicy(obs([[0, -2, ViewObject.Food]]), k)).toBe(Action.TurnLeft);
    expect(expertPolicy(obs([[0, 1, ViewObject.Food]]), k)).toBe(Action.TurnRight);
    // Not hungry: food in front is no reason to eat, and the way is open.
    expect(expertPolicy(obs([[1, 0, ViewObject.Food]], 0.95, 0.95), k)).toBe(Action.Forward);
  });

  it('explores straight on and turns to the free side when blocked (right when both or neither are)', () => {
    expect(expertPolicy(obs([]), k)).toBe(Action.Forward);
    expect(expertPolicy(obs([[1, 0, ViewObject.Wall]]), k)).toBe(Action.TurnRight);
    expect(
      expertPolicy(
        obs([
          [1, 0, ViewObject.Wall],
          [0, 1, ViewObject.Wall],
        ]),
        k,
      ),
    ).toBe(Action.TurnLeft);
    expect(
      expertPolicy(
        obs([
          [1, 0, ViewObject.Hazard],
          [0, 1, ViewObject.Agent],
        ]),
        k,
      ),
    ).toBe(Action.TurnLeft);
    expect(
      expertPolicy(
        obs([
          [1, 0, ViewObject.Agent],
          [0, -1, ViewObject.Hazard],
        ]),
        k,
      ),
    ).toBe(Action.TurnRight);
    expect(
      expertPolicy(
        obs([
          [1, 0, ViewObject.Wall],
          [0, -1, ViewObject.Wall],
          [0, 1, ViewObject.Wall],
        ]),
        k,
      ),
    ).toBe(Action.TurnRight);
    // Food straight ahead behind a hazard: step around it, to the free side.
    expect(
      expertPolicy(
        obs([
          [1, 0, ViewObject.Hazard],
          [3, 0, ViewObject.Food],
          [0, 1, ViewObject.Wall],
        ]),
        k,
      ),
    ).toBe(Action.TurnLeft);
  });
});
