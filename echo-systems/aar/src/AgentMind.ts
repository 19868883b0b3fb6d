/** An agent's body state, by name (what proprioception reports each tick). */
export interface BodyState {
  /** Levels in [0, 1]. */
  energy: number;
  hydration: number;
  health: number;
  /** Their change since the previous tick. */
  dEnergy: number;
  dHydration: number;
  dHealth: number;
  /** 1 when the last action did what it was meant to (a step moved, a drink drank), else 0. */
  lastActionOk: number;
  /** 1 after bumping into another agent. */
  collided: number;
  /** Pain in [0, 1]. */
  pain: number;
}

/** What an agent can make out in a cell of its view. */
export type ThingKind = 'ground' | 'wall' | 'food' | 'water' | 'dry spring' | 'hazard' | 'agent' | 'unseen';

/** One cell of the view, in world coordinates (x east, y south). */
export interface Sighting {
  kind: ThingKind;
  x: number;
  y: number;
}

/** What an agent perceives on one tick, as the orchestrator hands it over (arena-agnostic). */
export interface Percept {
  tick: number;
  /** Text description of the observation (goes into prompts). */
  text: string;
  /** The body, by name. */
  body: BodyState;
  /** The same body state as a vector (for the reservoirs). */
  proprio: Float32Array;
  /** A numeric sensation vector for prediction (the view as indicator channels + proprio). */
  sensation: Float32Array;
  /** Legal-action mask over the arena's action ids. */
  actionMask: Uint8Array;
  /** Reward of the last step. */
  reward: number;
  /** Where the agent is and which way it faces (0 north, 1 east, 2 south, 3 west). */
  position: { x: number; y: number };
  heading: number;
  /** Every cell in view, in world coordinates. */
  sightings: Sighting[];
  /** What is in the cell in front, and in the agent's own cell. */
  front: ThingKind;
  here: ThingKind;
  /** Index in `sensation` of the hazard indicator of the cell in front and of the agent's own cell. */
  hazardChannels: { front: number; here: number };
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
  /** The action the reflex and motor layer propose this tick (legal). */
  reflex: number;
  /** Descriptions of the atoms in attentional focus (what enters the prompt). */
  focus: string[];
  /** Short texts of the most relevant memories. */
  memories: string[];
  /** The goal being carried out, if any (its option text). */
  goal?: string;
  /** Why the mind wants to deliberate this tick, if it does (`idle`, `goal done`, `urgent`, `surprised`, `due`). */
  deliberation?: string;
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
  /** Whether the agent asked for a deliberation this tick (answered in time or not). */
  deliberated?: boolean;
}

/** What a deliberation returned: the choice, and the action it leads to on this tick. */
export interface Deliberation {
  action: number;
  thought: string;
  latencyMs?: number;
}

/**
 * An agent's cognition behind the orchestrator: `sense` is the fast path (prediction, memory,
 * attention, reflex) run every tick; `deliberate` is the slow path (a prompt to the engine) whose
 * answer must be one of the offered options; `act` gives the tick's action after a deliberation was
 * late or failed; `remember` stores the outcome of the chosen action. `attend` is the mind's
 * attention tick (ECAN), run by the orchestrator once per arena tick before anyone senses.
 */
export interface AgentMind {
  readonly agentId: string;
  attend?(tick: number): void;
  sense(percept: Percept): SenseResult;
  /** True when this tick deserves a deliberation (idle, goal done, urgent, surprised, due). */
  wantsToDeliberate(percept: Percept, sense: SenseResult): boolean;
  deliberate(percept: Percept, sense: SenseResult, signal: AbortSignal): Promise<Deliberation>;
  remember(decision: Decision, percept: Percept): void;
}
