import { ArenaError } from '../ArenaError.ts';
import type { ParallelEnv, ResetResult, StepResult } from '../ParallelEnv.ts';
import { Rng } from '../Rng.ts';
import type { Space } from '../spaces.ts';
import { type AgentBody, newBody } from './AgentBody.ts';
import { ACTIONS, Action, Cell, DX, DY, PROPRIO_FIELDS } from './constants.ts';
import { describeObservation } from './describeObservation.ts';
import { egocentricView } from './egocentricView.ts';
import { DEFAULT_FORAGING_CONFIG, type ForagingConfig } from './ForagingConfig.ts';
import { generateGrid, type Patrol } from './generateGrid.ts';

/**
 * One agent's observation: MiniGrid-style view, body-state vector, legal-action mask, a text
 * description, and where the agent is and which way it faces (its GPS and compass).
 */
export interface ForagingObservation {
  view: Uint8Array;
  proprio: Float32Array;
  actionMask: Uint8Array;
  text: string;
  /** Grid cell [x, y] (x east, y south). */
  position: [number, number];
  /** 0 north, 1 east, 2 south, 3 west. */
  heading: number;
}

/** Cells an agent can step onto: free ground, food and hazards (it hurts), not walls, water or dry springs. */
function enterable(cell: number): boolean {
  return cell === Cell.Empty || cell === Cell.Food || cell === Cell.Hazard;
}

/** Per-agent info: the outcome of its last action and its body. */
export interface ForagingInfo {
  tick: number;
  lastAction: string | null;
  ateFood: boolean;
  drank: boolean;
  collided: boolean;
  onHazard: boolean;
}

/** The whole world, serialisable (renderers, recorders and viewers read it). */
export interface ForagingState {
  tick: number;
  width: number;
  height: number;
  grid: number[];
  agents: Array<AgentBody & { id: string }>;
}

/**
 * A grid world where agents with bodies forage for food and water, avoid hazards and bump into each
 * other; after PettingZoo's parallel API. Reproducible: the same seed and actions give the same run.
 * Rewards are homeostatic: eating or drinking earns the fraction of a full portion the body actually
 * takes up (so drinking with full hydration earns next to nothing), a tick on a hazard costs 1 and
 * dying costs 10.
 * @example const env = new ForagingArena({ numAgents: 2 }); const { observations } = env.reset({ seed: 1 });
 */
export class ForagingArena implements ParallelEnv<ForagingObservation, number, ForagingInfo> {
  readonly metadata = { name: 'foraging_v0', renderModes: ['ascii', 'json', 'png'] };
  readonly config: ForagingConfig;
  readonly possibleAgents: readonly string[];
  private liveAgents: string[] = [];
  private grid: Uint8Array = new Uint8Array(0);
  private regrow = new Int32Array(0);
  /** Drinks left in each water cell (worlds with `waterCapacity > 0`). */
  private waterLeft = new Int32Array(0);
  private patrols: Patrol[] = [];
  /** Which agent stands on each cell: index + 1, 0 for none (dead agents leave it). */
  private occupancy = new Int32Array(0);
  private bodies: AgentBody[] = [];
  private tick = 0;
  private rng = new Rng(0);
  private isReset = false;
  private readonly obsSpace: Space;
  private readonly actSpace: Space;

  constructor(config: Partial<ForagingConfig> = {}) {
    this.config = { ...DEFAULT_FORAGING_CONFIG, ...config };
    const c = this.config;
    const bad = (why: string) => new ArenaError('DTE_ERR_ARENA_BAD_CONFIG', `ForagingArena: ${why}`);
    if (!Number.isInteger(c.width) || !Number.isInteger(c.height) || c.width < 4 || c.height < 4)
      throw bad('width and height must be integers ≥ 4');
    if (!Number.isInteger(c.numAgents) || c.numAgents < 1) throw bad('numAgents must be an integer ≥ 1');
    if ((c.width - 2) * (c.height - 2) < c.numAgents * 2) throw bad('the grid is too small for that many agents');
    if (!Number.isInteger(c.viewSize) || c.viewSize < 3 || c.viewSize % 2 === 0) throw bad('viewSize must be odd ≥ 3');
    if (!Number.isInteger(c.maxCycles) || c.maxCycles < 1) throw bad('maxCycles must be an integer ≥ 1');
    if (!Number.isInteger(c.waterCapacity) || c.waterCapacity < 0) throw bad('waterCapacity must be an integer ≥ 0');
    if (c.waterCapacity > 0 && (!Number.isInteger(c.waterRefillTicks) || c.waterRefillTicks < 1))
      throw bad('waterRefillTicks must be an integer ≥ 1 when springs run dry');
    if (!Number.isInteger(c.movingHazards) || c.movingHazards < 0) throw bad('movingHazards must be an integer ≥ 0');
    if (!Number.isInteger(c.patrolLength) || c.patrolLength < 2) throw bad('patrolLength must be an integer ≥ 2');
    if (!(c.needRateSpread >= 0 && c.needRateSpread < 1)) throw bad('needRateSpread must lie in [0, 1)');
    this.possibleAgents = Array.from({ length: c.numAgents }, (_, i) => `agent_${i}`);
    this.obsSpace = {
      kind: 'dict',
      spaces: {
        view: { kind: 'box', shape: [c.viewSize, c.viewSize, 3], low: 0, high: 7, dtype: 'uint8' },
        proprio: { kind: 'box', shape: [PROPRIO_FIELDS.length], low: -1, high: 1, dtype: 'float32' },
        actionMask: { kind: 'box', shape: [ACTIONS.length], low: 0, high: 1, dtype: 'uint8' },
        position: { kind: 'box', shape: [2], low: 0, high: Math.max(c.width, c.height) - 1, dtype: 'int32' },
        heading: { kind: 'discrete', n: 4 },
      },
    };
    this.actSpace = { kind: 'discrete', n: ACTIONS.length };
  }

  get agents(): readonly string[] {
    return this.liveAgents;
  }

  get numAgents(): number {
    return this.liveAgents.length;
  }

  observationSpace(agent: string): Space {
    this.indexOf(agent, 'observationSpace');
    return this.obsSpace;
  }

  actionSpace(agent: string): Space {
    this.indexOf(agent, 'actionSpace');
    return this.actSpace;
  }

  reset(options: { seed?: number } = {}): ResetResult<ForagingObservation, ForagingInfo> {
    this.rng = new Rng(options.seed ?? 0);
    const { grid, spawns, patrols } = generateGrid(this.config, this.rng);
    this.grid = grid;
    this.patrols = patrols;
    this.regrow = new Int32Array(grid.length);
    this.waterLeft = new Int32Array(grid.length);
    if (this.config.waterCapacity > 0)
      for (let p = 0; p < grid.length; p++) if (grid[p] === Cell.Water) this.waterLeft[p] = this.config.waterCapacity;
    const spread = this.config.needRateSpread;
    const rate = () => 1 + spread * (2 * this.rng.next() - 1);
    this.bodies = spawns.map((s) =>
      newBody(s.x, s.y, s.heading, spread > 0 ? { energy: rate(), hydration: rate() } : undefined),
    );
    this.occupancy = new Int32Array(grid.length);
    this.bodies.forEach((b, i) => {
      this.occupancy[b.y * this.config.width + b.x] = i + 1;
    });
    this.liveAgents = [...this.possibleAgents];
    this.tick = 0;
    this.isReset = true;
    const observations: Record<string, ForagingObservation> = {};
    const infos: Record<string, ForagingInfo> = {};
    for (const id of this.liveAgents) {
      const i = this.indexOf(id, 'reset');
      observations[id] = this.observe(i);
      infos[id] = this.info(i, null);
    }
    return { observations, infos };
  }

  step(actions: Record<string, number>): StepResult<ForagingObservation, ForagingInfo> {
    if (!this.isReset) throw new ArenaError('DTE_ERR_ARENA_NOT_RESET', 'ForagingArena.step: call reset() first');
    const c = this.config;
    const acting = this.liveAgents.map((id) => this.indexOf(id, 'step'));
    for (const [id, a] of Object.entries(actions)) {
      if (!this.liveAgents.includes(id))
        throw new ArenaError('DTE_ERR_ARENA_UNKNOWN_AGENT', `ForagingArena.step: '${id}' is not a live agent`);
      if (!Number.isInteger(a) || a < 0 || a >= ACTIONS.length)
        throw new ArenaError(
          'DTE_ERR_ARENA_BAD_ACTION',
          `ForagingArena.step: action ${String(a)} of '${id}' is not in 0..${ACTIONS.length - 1}`,
        );
    }
    const rewards: Record<string, number> = {};
    const outcome = acting.map(() => ({ ate: false, drank: false, collided: false, ok: true, gain: 0 }));
    // Movement and actions resolve in agent order so simultaneous moves are deterministic.
    acting.forEach((i, k) => {
      const body = this.bodies[i]!;
      const out = outcome[k]!;
      const id = this.possibleAgents[i]!;
      const a = actions[id] ?? Action.Stay;
      body.prev = { energy: body.energy, hydration: body.hydration, health: body.health };
      body.lastAction = a;
      body.pain = 0;
      const fx = body.x + DX[body.heading]!;
      const fy = body.y + DY[body.heading]!;
      const front = this.cellAt(fx, fy);
      switch (a) {
        case Action.Forward:
          if (!enterable(front)) out.ok = false;
          else if (this.agentAt(fx, fy) >= 0) {
            out.ok = false;
            out.collided = true;
            body.health = Math.max(0, body.health - c.collisionDamage);
            body.pain = Math.max(body.pain, 0.25);
          } else {
            this.occupancy[body.y * c.width + body.x] = 0;
            this.occupancy[fy * c.width + fx] = i + 1;
            body.x = fx;
            body.y = fy;
            body.energy = Math.max(0, body.energy - c.moveCost);
          }
          break;
        case Action.TurnLeft:
          body.heading = (body.heading + 3) % 4;
          break;
        case Action.TurnRight:
          body.heading = (body.heading + 1) % 4;
          break;
        case Action.Eat:
          if (front === Cell.Food) {
            this.grid[fy * c.width + fx] = Cell.Empty;
            this.regrow[fy * c.width + fx] = c.regrowTicks;
            const before = body.energy;
            body.energy = Math.min(1, body.energy + c.foodEnergy);
            out.gain = (body.energy - before) / c.foodEnergy;
            out.ate = true;
          } else out.ok = false;
          break;
        case Action.Drink:
          if (front === Cell.Water) {
            const before = body.hydration;
            body.hydration = Math.min(1, body.hydration + c.waterHydration);
            out.gain = (body.hydration - before) / c.waterHydration;
            out.drank = true;
            const p = fy * c.width + fx;
            if (c.waterCapacity > 0 && --this.waterLeft[p]! <= 0) {
              this.grid[p] = Cell.DrySpring;
              this.regrow[p] = c.waterRefillTicks;
            }
          } else out.ok = false;
          break;
        default:
          break;
      }
      body.collided = out.collided;
      body.lastActionOk = out.ok;
    });
    this.movePatrols();
    // Metabolism, hazards, starvation and healing.
    const terminations: Record<string, boolean> = {};
    acting.forEach((i, k) => {
      const body = this.bodies[i]!;
      const out = outcome[k]!;
      const id = this.possibleAgents[i]!;
      body.energy = Math.max(0, body.energy - c.energyDecay * body.needRates.energy);
      body.hydration = Math.max(0, body.hydration - c.hydrationDecay * body.needRates.hydration);
      let reward = out.gain;
      if (this.cellAt(body.x, body.y) === Cell.Hazard) {
        body.health = Math.max(0, body.health - c.hazardDamage);
        body.pain = 1;
        reward -= 1;
      }
      if (body.energy === 0 || body.hydration === 0) {
        body.health = Math.max(0, body.health - c.starvationDamage);
        body.pain = Math.max(body.pain, 0.5);
      } else if (body.energy > 0.5 && body.hydration > 0.5 && body.pain === 0) {
        body.health = Math.min(1, body.health + c.healRate);
      }
      const dead = body.health <= 0;
      if (dead) {
        body.alive = false;
        this.occupancy[body.y * c.width + body.x] = 0;
        reward -= 10;
      }
      rewards[id] = reward;
      terminations[id] = dead;
    });
    // Food grows back where nobody stands; dry springs fill up again.
    for (let p = 0; p < this.regrow.length; p++) {
      if (this.regrow[p]! > 0 && --this.regrow[p]! === 0) {
        if (this.grid[p] === Cell.DrySpring) {
          this.grid[p] = Cell.Water;
          this.waterLeft[p] = c.waterCapacity;
        } else if (this.agentAt(p % c.width, Math.floor(p / c.width)) < 0) this.grid[p] = Cell.Food;
        else this.regrow[p] = 1;
      }
    }
    this.tick++;
    const truncated = this.tick >= c.maxCycles;
    const observations: Record<string, ForagingObservation> = {};
    const infos: Record<string, ForagingInfo> = {};
    const truncations: Record<string, boolean> = {};
    acting.forEach((i, k) => {
      const id = this.possibleAgents[i]!;
      const body = this.bodies[i]!;
      observations[id] = this.observe(i);
      const out = outcome[k]!;
      infos[id] = {
        ...this.info(i, ACTIONS[body.lastAction ?? 0] ?? null),
        ateFood: out.ate,
        drank: out.drank,
        collided: out.collided,
      };
      truncations[id] = truncated && !terminations[id];
    });
    this.liveAgents = this.liveAgents.filter((id) => !terminations[id] && !truncations[id]);
    return { observations, rewards, terminations, truncations, infos };
  }

  /** The legal actions of a live agent as a 0/1 mask over {@link ACTIONS}. */
  actionMask(agent: string): Uint8Array {
    return this.mask(this.indexOf(agent, 'actionMask'));
  }

  state(): ForagingState {
    return {
      tick: this.tick,
      width: this.config.width,
      height: this.config.height,
      grid: Array.from(this.grid),
      agents: this.bodies.map((b, i) => ({
        ...b,
        prev: { ...b.prev },
        needRates: { ...b.needRates },
        id: this.possibleAgents[i]!,
      })),
    };
  }

  close(): void {
    this.liveAgents = [];
    this.isReset = false;
  }

  private indexOf(agent: string, method: string): number {
    const i = this.possibleAgents.indexOf(agent);
    if (i < 0) throw new ArenaError('DTE_ERR_ARENA_UNKNOWN_AGENT', `ForagingArena.${method}: unknown agent '${agent}'`);
    return i;
  }

  /** Cell content, or −1 outside the grid. */
  private cellAt(x: number, y: number): number {
    const { width, height } = this.config;
    if (x < 0 || y < 0 || x >= width || y >= height) return -1;
    return this.grid[y * width + x]!;
  }

  private agentAt(x: number, y: number): number {
    return this.occupancy[y * this.config.width + x]! - 1;
  }

  private mask(i: number): Uint8Array {
    const b = this.bodies[i]!;
    const front = this.cellAt(b.x + DX[b.heading]!, b.y + DY[b.heading]!);
    const m = new Uint8Array(ACTIONS.length);
    m[Action.Stay] = 1;
    m[Action.TurnLeft] = 1;
    m[Action.TurnRight] = 1;
    m[Action.Forward] = enterable(front) ? 1 : 0;
    m[Action.Eat] = front === Cell.Food ? 1 : 0;
    m[Action.Drink] = front === Cell.Water ? 1 : 0;
    return m;
  }

  private observe(i: number): ForagingObservation {
    const b = this.bodies[i]!;
    const view = egocentricView(this.grid, this.occupancy, this.config, this.bodies, i);
    const proprio = new Float32Array([
      b.energy,
      b.hydration,
      b.health,
      b.energy - b.prev.energy,
      b.hydration - b.prev.hydration,
      b.health - b.prev.health,
      b.lastActionOk ? 1 : 0,
      b.collided ? 1 : 0,
      b.pain,
    ]);
    const actionMask = this.mask(i);
    const text = describeObservation(view, this.config.viewSize, b);
    return { view, proprio, actionMask, text, position: [b.x, b.y], heading: b.heading };
  }

  /** Every patrolling hazard moves one cell along its track, turning back at the ends. */
  private movePatrols(): void {
    for (const patrol of this.patrols) {
      if (patrol.at + patrol.dir < 0 || patrol.at + patrol.dir >= patrol.track.length) patrol.dir = -patrol.dir;
      this.grid[patrol.track[patrol.at]!] = Cell.Empty;
      patrol.at += patrol.dir;
      this.grid[patrol.track[patrol.at]!] = Cell.Hazard;
    }
  }

  private info(i: number, lastAction: string | null): ForagingInfo {
    const b = this.bodies[i]!;
    return {
      tick: this.tick,
      lastAction,
      ateFood: false,
      drank: false,
      collided: b.collided,
      onHazard: this.cellAt(b.x, b.y) === Cell.Hazard,
    };
  }
}
