import {
  ACTIONS,
  ForagingArena,
  type ForagingConfig,
  type ForagingObservation,
  type ForagingPreset,
  foragingConfigFor,
  renderJsonFrame,
  ViewObject,
} from '@dte/arena';
import type { BodyState, Percept, Sighting, ThingKind } from './AgentMind.ts';
import type { AdapterStep, AgentStatus, ArenaAdapter } from './ArenaAdapter.ts';
import type { Regrowth } from './options.ts';

/** The foraging worlds a run can use (`oases`, the default, or `classic`). */
export type ForagingWorld = ForagingPreset;

const KIND: Record<number, ThingKind> = {
  [ViewObject.Unseen]: 'unseen',
  [ViewObject.Empty]: 'ground',
  [ViewObject.Wall]: 'wall',
  [ViewObject.Food]: 'food',
  [ViewObject.Water]: 'water',
  [ViewObject.Hazard]: 'hazard',
  [ViewObject.Agent]: 'agent',
  [ViewObject.DrySpring]: 'dry spring',
};

/** The sensation's indicator channels per view cell, in order. */
const CHANNELS: readonly ThingKind[] = ['wall', 'food', 'water', 'dry spring', 'hazard', 'agent'];
const CONCEPT_KINDS: ReadonlySet<ThingKind> = new Set(['food', 'water', 'dry spring', 'hazard', 'agent']);

const DX = [0, 1, 0, -1];
const DY = [-1, 0, 1, 0];

/** The body, by name, from the foraging proprioception vector (PROPRIO_FIELDS order). */
export function bodyOf(proprio: ArrayLike<number>): BodyState {
  return {
    energy: proprio[0] ?? 1,
    hydration: proprio[1] ?? 1,
    health: proprio[2] ?? 1,
    dEnergy: proprio[3] ?? 0,
    dHydration: proprio[4] ?? 0,
    dHealth: proprio[5] ?? 0,
    lastActionOk: proprio[6] ?? 1,
    collided: proprio[7] ?? 0,
    pain: proprio[8] ?? 0,
  };
}

/**
 * The foraging observation as a percept: the body by name; every view cell as a sighting in world
 * coordinates (from the observation's position and heading); the sensation is one indicator per view
 * cell and thing (wall, food, water, dry spring, hazard, agent) followed by proprioception.
 */
export function perceptOf(
  obs: ForagingObservation,
  viewSize: number,
  tick: number,
  reward: number,
  nearbyAgents: string[] = [],
): Percept {
  const k = viewSize;
  const half = (k - 1) >> 1;
  const h = obs.heading;
  const right = (h + 1) % 4;
  const [px, py] = obs.position;
  const cells = k * k;
  const sensation = new Float32Array(cells * CHANNELS.length + obs.proprio.length);
  const sightings: Sighting[] = [];
  const seen = new Set<string>();
  for (let row = 0; row < k; row++) {
    const ahead = k - 1 - row;
    for (let col = 0; col < k; col++) {
      const side = col - half;
      const cell = row * k + col;
      const kind = KIND[obs.view[cell * 3]!] ?? 'unseen';
      const c = CHANNELS.indexOf(kind);
      if (c >= 0) sensation[cell * CHANNELS.length + c] = 1;
      if (kind === 'unseen') continue;
      sightings.push({ kind, x: px + ahead * DX[h]! + side * DX[right]!, y: py + ahead * DY[h]! + side * DY[right]! });
      if (CONCEPT_KINDS.has(kind) && !(ahead === 0 && side === 0)) seen.add(kind === 'agent' ? 'another agent' : kind);
    }
  }
  sensation.set(obs.proprio, cells * CHANNELS.length);
  const frontCell = (k - 2) * k + half;
  const hereCell = (k - 1) * k + half;
  const hazard = CHANNELS.indexOf('hazard');
  return {
    tick,
    text: obs.text,
    body: bodyOf(obs.proprio),
    proprio: obs.proprio,
    sensation,
    actionMask: obs.actionMask,
    reward,
    position: { x: px, y: py },
    heading: h,
    sightings,
    front: KIND[obs.view[frontCell * 3]!] ?? 'unseen',
    here: KIND[obs.view[hereCell * 3]!] ?? 'unseen',
    hazardChannels: { front: frontCell * CHANNELS.length + hazard, here: hereCell * CHANNELS.length + hazard },
    nearbyAgents,
    concepts: [...seen].sort(),
  };
}

/** The foraging arena behind the orchestrator's {@link ArenaAdapter}. */
export class ForagingAdapter implements ArenaAdapter {
  readonly name = 'foraging';
  readonly env: ForagingArena;
  readonly actionNames = ACTIONS;
  readonly sensorDim: number;
  private tick = 0;

  constructor(config: Partial<ForagingConfig> = {}) {
    this.env = new ForagingArena(config);
    const k = this.env.config.viewSize;
    this.sensorDim = k * k * CHANNELS.length + 9;
  }

  /** A preset world sized for `numAgents` (see `foragingConfigFor`), then `overrides`. */
  static forWorld(world: ForagingWorld, numAgents: number, overrides: Partial<ForagingConfig> = {}): ForagingAdapter {
    return new ForagingAdapter(foragingConfigFor(world, numAgents, overrides));
  }

  get agentIds(): readonly string[] {
    return this.env.possibleAgents;
  }

  /** How fast springs refill and food regrows here (what minds know of their world). */
  get regrowth(): Regrowth {
    const c = this.env.config;
    return { waterRefillTicks: c.waterCapacity > 0 ? c.waterRefillTicks : 0, foodRegrowTicks: c.regrowTicks };
  }

  /** Grid width and height. */
  get size(): { width: number; height: number } {
    return { width: this.env.config.width, height: this.env.config.height };
  }

  reset(seed: number): Record<string, Percept> {
    this.tick = 0;
    const obs = this.env.reset({ seed }).observations;
    return Object.fromEntries(
      Object.entries(obs).map(([id, o]) => [id, perceptOf(o, this.env.config.viewSize, 0, 0, this.nearby(id))]),
    );
  }

  step(actions: Record<string, number>): AdapterStep {
    const res = this.env.step(actions);
    this.tick++;
    const percepts = Object.fromEntries(
      Object.entries(res.observations).map(([id, o]) => [
        id,
        perceptOf(o, this.env.config.viewSize, this.tick, res.rewards[id] ?? 0, this.nearby(id)),
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

  statuses(): AgentStatus[] {
    return this.env.state().agents.map((a) => ({
      id: a.id,
      x: a.x,
      y: a.y,
      heading: a.heading,
      energy: a.energy,
      hydration: a.hydration,
      health: a.health,
      alive: a.alive,
    }));
  }

  frame(): unknown {
    return JSON.parse(renderJsonFrame(this.env.state()));
  }
}
