/** What an agent perceives on one tick, as the orchestrator hands it over (arena-agnostic). */
export interface Percept {
  tick: number;
  /** Text description of the observation (goes into prompts). */
  text: string;
  /** Body-state vector in [−1, 1] (levels, their rates of change, outcome flags, pain). */
  proprio: Float32Array;
  /** A numeric sensation vector for prediction (e.g. the flattened egocentric view + proprio). */
  sensation: Float32Array;
  /** Legal-action mask over the arena's action ids. */
  actionMask: Uint8Array;
  /** Reward of the last step. */
  reward: number;
  /** Other agents close enough to see (ids), for agent–agent relations. */
  nearbyAgents?: string[];
  /** Concepts in view (e.g. 'food', 'water'), for memory and attention. */
  concepts?: string[];
}

/** What the fast, every-tick path made of a percept. */
export interface SenseResult {
  /** Prediction error of the last prediction (DTESN), ≥ 0. */
  surprise: number;
  /** Urgency in [0, 1] from the body and attention: the engine priority follows it. */
  urgency: number;
  /** The reflex's proposed (legal) action. */
  reflex: number;
  /** Descriptions of the atoms in attentional focus (what enters the prompt). */
  focus: string[];
  /** Short texts of the most relevant episodic memories. */
  memories: string[];
}

/** Why an action was taken. */
export type DecisionSource = 'thought' | 'reflex' | 'reflex-late' | 'reflex-error';

/** One agent's decision for a tick. */
export interface Decision {
  agentId: string;
  tick: number;
  action: number;
  source: DecisionSource;
  /** The model's reply when the decision came from deliberation. */
  thought?: string;
  /** Wall-clock ms the deliberation took (thoughts only; never written to trajectories). */
  latencyMs?: number;
  /** Urgency when the agent sensed this tick. */
  urgency?: number;
}

/**
 * An agent's cognition behind the orchestrator: `sense` is the fast path (prediction, memory,
 * attention, reflex) run every tick; `deliberate` is the slow path (a prompt to the engine) whose
 * answer must be one of the legal actions. `remember` stores the outcome of the chosen action.
 */
export interface AgentMind {
  readonly agentId: string;
  sense(percept: Percept): SenseResult;
  /** True when this tick deserves a deliberation (e.g. every few ticks, or on surprise). */
  wantsToDeliberate(percept: Percept, sense: SenseResult): boolean;
  deliberate(
    percept: Percept,
    sense: SenseResult,
    signal: AbortSignal,
  ): Promise<{ action: number; thought: string; latencyMs?: number }>;
  remember(decision: Decision, percept: Percept): void;
}
