import type { Percept } from './AgentMind.ts';

/** The result of one arena step, per agent alive when it began. */
export interface AdapterStep {
  percepts: Record<string, Percept>;
  rewards: Record<string, number>;
  terminations: Record<string, boolean>;
  truncations: Record<string, boolean>;
}

/**
 * How the orchestrator sees an arena: agents, percepts and steps. The only place where arena types
 * meet the echo systems (one adapter per arena).
 */
export interface ArenaAdapter {
  readonly name: string;
  readonly agentIds: readonly string[];
  readonly actionNames: readonly string[];
  reset(seed: number): Record<string, Percept>;
  step(actions: Record<string, number>): AdapterStep;
  liveAgents(): readonly string[];
  /** A serialisable frame of the world for viewers and recorders. */
  frame(): unknown;
}
