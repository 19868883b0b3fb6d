import {
  ACTIONS,
  ForagingArena,
  type ForagingConfig,
  type ForagingObservation,
  renderJsonFrame,
  ViewObject,
} from '@dte/arena';
import type { Percept } from './AgentMind.ts';
import type { AdapterStep, ArenaAdapter } from './ArenaAdapter.ts';

/** The foraging observation as a percept: the sensation is the view (scaled to [0, 1]) followed by proprioception. */
export function perceptOf(
  obs: ForagingObservation,
  tick: number,
  reward: number,
  nearbyAgents: string[] = [],
): Percept {
  const sensation = new Float32Array(obs.view.length + obs.proprio.length);
  const seen = new Set<string>();
  for (let i = 0; i < obs.view.length; i++) {
    sensation[i] = obs.view[i]! / 6;
    if (i % 3 === 0) {
      const name = CONCEPTS[obs.view[i]!];
      if (name) seen.add(name);
    }
  }
  sensation.set(obs.proprio, obs.view.length);
  return {
    tick,
    text: obs.text,
    proprio: obs.proprio,
    sensation,
    actionMask: obs.actionMask,
    reward,
    nearbyAgents,
    concepts: [...seen].sort(),
  };
}

const CONCEPTS: Record<number, string> = {
  [ViewObject.Food]: 'food',
  [ViewObject.Water]: 'water',
  [ViewObject.Hazard]: 'hazard',
  [ViewObject.Agent]: 'another agent',
};

/** The foraging arena behind the orchestrator's {@link ArenaAdapter}; `last` keeps raw observations for reflexes. */
export class ForagingAdapter implements ArenaAdapter {
  readonly name = 'foraging';
  readonly env: ForagingArena;
  readonly actionNames = ACTIONS;
  /** The raw observations of the last reset/step (reflex policies read the egocentric view). */
  last: Record<string, ForagingObservation> = {};
  private tick = 0;

  constructor(config: Partial<ForagingConfig> = {}) {
    this.env = new ForagingArena(config);
  }

  get agentIds(): readonly string[] {
    return this.env.possibleAgents;
  }

  reset(seed: number): Record<string, Percept> {
    this.tick = 0;
    this.last = this.env.reset({ seed }).observations;
    return Object.fromEntries(Object.entries(this.last).map(([id, o]) => [id, perceptOf(o, 0, 0, this.nearby(id))]));
  }

  step(actions: Record<string, number>): AdapterStep {
    const res = this.env.step(actions);
    this.tick++;
    this.last = { ...this.last, ...res.observations };
    const percepts = Object.fromEntries(
      Object.entries(res.observations).map(([id, o]) => [
        id,
        perceptOf(o, this.tick, res.rewards[id] ?? 0, this.nearby(id)),
      ]),
    );
    return { percepts, rewards: res.rewards, terminations: res.terminations, truncations: res.truncations };
  }

  /** Live agents within the view's reach (Chebyshev distance ≤ viewSize − 1) of `id`. */
  private nearby(id: string): string[] {
    const agents = this.env.state().agents;
    const me = agents.find((a) => a.id === id);
    const reach = this.env.config.viewSize - 1;
    if (!me) return [];
    return agents
      .filter((a) => a.id !== id && a.alive && Math.max(Math.abs(a.x - me.x), Math.abs(a.y - me.y)) <= reach)
      .map((a) => a.id);
  }

  liveAgents(): readonly string[] {
    return this.env.agents;
  }

  frame(): unknown {
    return JSON.parse(renderJsonFrame(this.env.state()));
  }
}
