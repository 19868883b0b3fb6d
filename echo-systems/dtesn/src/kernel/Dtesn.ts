import { Subject } from 'rxjs';
import { dtesnError } from '../DtesnError.ts';
import { deriveSeed } from '../reservoir/gaussian.ts';
import { MembraneReservoirTree, type MembraneReservoirTreeOptions } from './MembraneReservoirTree.ts';

/** One agent's sensation for a tick. */
export interface AgentSensation {
  agentId: string;
  sensation: ArrayLike<number>;
  /** The action the agent took after the previous tick (teaches the reflex head). */
  lastAction?: number;
}

/** Per-agent reservoir states after a tick (root membrane first in `membranes`). */
export interface DtesnStates {
  tick: number;
  agentId: string;
  /** Every membrane's state, concatenated (a copy). */
  states: Float64Array;
  activation: number[];
}

/** A prediction of an agent's next sensation. */
export interface DtesnPrediction {
  tick: number;
  agentId: string;
  prediction: Float64Array;
}

/** Prediction error of the last prediction against what the agent sensed. */
export interface DtesnSurprise {
  tick: number;
  agentId: string;
  surprise: number;
}

/** A reflex action proposal (the fast path, no LLM). */
export interface ReflexAction {
  tick: number;
  agentId: string;
  action: number;
  /** Softmax probability of the proposed action among the scores. */
  confidence: number;
}

/** Options shared by every agent's tree (each agent gets its own seed stream). */
export type DtesnOptions = MembraneReservoirTreeOptions;

/**
 * The DTESN kernel for many agents: each agent (created on first sight) has its
 * own {@link MembraneReservoirTree}; `tick` advances them all and emits on the
 * observables `states$`, `predictions$`, `surprise$` and `reflexes$`.
 *
 * @example
 * ```ts
 * const k = new Dtesn({ sensorDim: 4, numActions: 3, seed: 1 });
 * k.surprise$.subscribe(({ agentId, surprise }) => console.log(agentId, surprise));
 * k.tick([{ agentId: 'a', sensation: [0, 1, 0, 0] }]);
 * ```
 */
export class Dtesn {
  readonly states$ = new Subject<DtesnStates>();
  readonly predictions$ = new Subject<DtesnPrediction>();
  readonly surprise$ = new Subject<DtesnSurprise>();
  readonly reflexes$ = new Subject<ReflexAction>();
  private readonly trees = new Map<string, MembraneReservoirTree>();
  private numTicks = 0;

  constructor(readonly options: DtesnOptions) {
    // Validate eagerly so a bad configuration fails at construction.
    const units = options.units ?? 100;
    if (!Number.isInteger(units) || units <= 0) {
      throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'Dtesn', 'units must be a positive integer');
    }
    new MembraneReservoirTree({ ...options, units: 2 });
  }

  /** Ticks taken. */
  get ticks(): number {
    return this.numTicks;
  }

  /** The agent's tree, created with an independent seed on first use. */
  agent(agentId: string): MembraneReservoirTree {
    let tree = this.trees.get(agentId);
    if (tree === undefined) {
      let h = 0;
      for (let i = 0; i < agentId.length; i++) h = Math.imul(h ^ agentId.charCodeAt(i), 0x01000193) >>> 0;
      tree = new MembraneReservoirTree({ ...this.options, seed: deriveSeed(this.options.seed ?? 0, h) });
      this.trees.set(agentId, tree);
    }
    return tree;
  }

  /** Agents seen so far. */
  agents(): string[] {
    return [...this.trees.keys()];
  }

  /** Advances every listed agent by one tick and emits the results. */
  tick(batch: readonly AgentSensation[], learn = true): void {
    const seen = new Set<string>();
    for (const s of batch) {
      if (seen.has(s.agentId)) throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'Dtesn.tick', `agent ${s.agentId} twice`);
      seen.add(s.agentId);
    }
    const tick = this.numTicks++;
    for (const { agentId, sensation, lastAction } of batch) {
      const tree = this.agent(agentId);
      const r = tree.tick(sensation, lastAction === undefined ? { learn } : { learn, lastAction });
      this.surprise$.next({ tick, agentId, surprise: r.surprise });
      this.predictions$.next({ tick, agentId, prediction: Float64Array.from(r.prediction) });
      this.states$.next({ tick, agentId, states: Float64Array.from(tree.features), activation: r.activation });
      if (r.actionScores.length > 0) {
        let best = 0;
        for (let i = 1; i < r.actionScores.length; i++) if (r.actionScores[i]! > r.actionScores[best]!) best = i;
        let z = 0;
        for (const v of r.actionScores) z += Math.exp(v - r.actionScores[best]!);
        this.reflexes$.next({ tick, agentId, action: best, confidence: 1 / z });
      }
    }
  }

  /** Completes every observable. */
  complete(): void {
    this.states$.complete();
    this.predictions$.complete();
    this.surprise$.complete();
    this.reflexes$.complete();
  }
}
