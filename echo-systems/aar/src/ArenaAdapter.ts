import type { Percept } from './AgentMind.ts';

/** The result of one arena step, per agent alive when it began. */
export interface AdapterStep {
  percepts: Record<string, Percept>;
  rewards: Record<string, number>;
  terminations: Record<string, boolean>;
  truncations: Record<string, boolean>;
}

/** One agent's body and place, as viewers, recorders and summaries show it. */
export interface AgentStatus {
  id: string;
  x: number;
  y: number;
  heading: number;
  energy: number;
  hydration: number;
  health: number;
  alive: boolean;
}

/**
 * How the orchestrator sees an arena: agents, percepts and steps. The only place where arena types
 * meet the echo systems (one adapter per arena).
 */
export interface ArenaAdapter {
  readonly name: string;
  readonly agentIds: readonly string[];
  readonly actionNames: readonly string[];
  /** Length of every percept's `sensation` vector. */
  readonly sensorDim: number;
  reset(seed: number): Record<string, Percept>;
  step(actions: Record<string, number>): AdapterStep;
  liveAgents(): readonly string[];
  /** Every agent's body and place (the dead too). */
  statuses(): AgentStatus[];
  /** A serialisable frame of the world for viewers and recorders. */
  frame(): unknown;
}
