import { ACTIONS, ForagingArena, type ForagingConfig, type ForagingObservation, renderJsonFrame } from '@dte/arena';
import type { Percept } from './AgentMind.ts';
import type { AdapterStep, ArenaAdapter } from './ArenaAdapter.ts';

/** The foraging observation as a percept: the sensation is the view (scaled to [0, 1]) followed by proprioception. */
export function perceptOf(obs: ForagingObservation, tick: number, reward: number): Percept {
  const sensation = new Float32Array(obs.view.length + obs.proprio.length);
  for (let i = 0; i < obs.view.length; i++) sensation[i] = obs.view[i]! / 6;
  sensation.set(obs.proprio, obs.view.length);
  return { tick, text: obs.text, proprio: obs.proprio, sensation, actionMask: obs.actionMask, reward };
}

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
    return Object.fromEntries(Object.entries(this.last).map(([id, o]) => [id, perceptOf(o, 0, 0)]));
  }

  step(actions: Record<string, number>): AdapterStep {
    const res = this.env.step(actions);
    this.tick++;
    this.last = { ...this.last, ...res.observations };
    const percepts = Object.fromEntries(
      Object.entries(res.observations).map(([id, o]) => [id, perceptOf(o, this.tick, res.rewards[id] ?? 0)]),
    );
    return { percepts, rewards: res.rewards, terminations: res.terminations, truncations: res.truncations };
  }

  liveAgents(): readonly string[] {
    return this.env.agents;
  }

  frame(): unknown {
    return JSON.parse(renderJsonFrame(this.env.state()));
  }
}
