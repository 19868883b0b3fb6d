import { expect } from 'vitest';
import type { ParallelEnv } from '../src/ParallelEnv.ts';
import { Rng } from '../src/Rng.ts';
import { type DiscreteSpace, sampleDiscrete, spaceContains } from '../src/spaces.ts';

type AnyEnv = ParallelEnv<unknown, number, unknown>;

function maskOf(obs: unknown): ArrayLike<number> | undefined {
  return (obs as { actionMask?: ArrayLike<number> } | undefined)?.actionMask;
}

function sampleActions(env: AnyEnv, obs: Record<string, unknown>, rng: Rng, useMask = true): Record<string, number> {
  const actions: Record<string, number> = {};
  for (const agent of env.agents) {
    actions[agent] = sampleDiscrete(
      env.actionSpace(agent) as DiscreteSpace,
      rng,
      useMask ? maskOf(obs[agent]) : undefined,
    );
  }
  return actions;
}

/**
 * Port of PettingZoo's `parallel_api_test`: dict shapes keyed by live agents, observations inside their
 * spaces, agents never revived, `agents` ⊆ `possibleAgents`, `numAgents` consistent, and an empty
 * `agents` only once every possible agent has finished. Runs two resets.
 */
export function parallelApiTest(env: AnyEnv, numCycles = 1000): void {
  const rng = new Rng(7);
  for (let r = 0; r < 2; r++) {
    let { observations, infos } = env.reset({ seed: r });
    expect(new Set(Object.keys(observations))).toEqual(new Set(env.agents));
    expect(new Set(Object.keys(infos))).toEqual(new Set(env.agents));
    const live = new Set(env.agents);
    const finished = new Set<string>();
    for (const agent of env.agents) expect(spaceContains(env.observationSpace(agent), observations[agent])).toBe(true);
    for (let i = 0; i < numCycles; i++) {
      const actions = sampleActions(env, observations, rng);
      const res = env.step(actions);
      observations = res.observations;
      infos = res.infos;
      for (const agent of env.agents) {
        expect(finished.has(agent), 'agent cannot be revived once dead').toBe(false);
        live.add(agent);
      }
      for (const dict of [res.observations, res.rewards, res.terminations, res.truncations, res.infos]) {
        expect(new Set(Object.keys(dict))).toEqual(live);
      }
      for (const agent of Object.keys(res.observations)) {
        expect(spaceContains(env.observationSpace(agent), res.observations[agent])).toBe(true);
        expect(typeof res.rewards[agent]).toBe('number');
      }
      expect(env.agents.every((a) => env.possibleAgents.includes(a))).toBe(true);
      expect(env.numAgents).toBe(env.agents.length);
      for (const [agent, done] of [...Object.entries(res.terminations), ...Object.entries(res.truncations)]) {
        if (done) {
          live.delete(agent);
          finished.add(agent);
        }
      }
      expect(new Set(env.agents)).toEqual(live);
      if (env.agents.length === 0) {
        expect(finished).toEqual(new Set(env.possibleAgents));
        break;
      }
    }
  }
  env.close();
}

/** Port of PettingZoo's `parallel_seed_test`: two environments, same seed, same sampled actions → identical runs. */
export function parallelSeedTest(makeEnv: () => AnyEnv, numCycles = 500): void {
  const a = makeEnv();
  const b = makeEnv();
  let oa = a.reset({ seed: 42 }).observations;
  let ob = b.reset({ seed: 42 }).observations;
  expect(ob).toEqual(oa);
  const ra = new Rng(0);
  const rb = new Rng(0);
  for (let i = 0; i < numCycles && a.agents.length > 0; i++) {
    const resA = a.step(sampleActions(a, oa, ra));
    const resB = b.step(sampleActions(b, ob, rb));
    expect(resB).toEqual(resA);
    oa = resA.observations;
    ob = resB.observations;
  }
  expect(b.state()).toEqual(a.state());
}

/** Port of PettingZoo's `max_cycles_test`: an environment made with maxCycles = 4 ends after exactly 4 steps. */
export function maxCyclesTest(makeEnv: (maxCycles: number) => AnyEnv): void {
  const maxCycles = 4;
  const env = makeEnv(maxCycles);
  let obs = env.reset({ seed: 3 }).observations;
  const rng = new Rng(1);
  let step = 0;
  for (; step < maxCycles + 10; step++) {
    const res = env.step(sampleActions(env, obs, rng));
    obs = res.observations;
    if (env.agents.length === 0) break;
  }
  expect(step + 1).toBe(maxCycles);
}
