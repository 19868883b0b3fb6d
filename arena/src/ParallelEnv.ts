import type { Space } from './spaces.ts';

/** What `reset` returns: one observation and one info object per live agent. */
export interface ResetResult<O, I> {
  observations: Record<string, O>;
  infos: Record<string, I>;
}

/** What `step` returns, keyed by the agents that were alive when the step began. */
export interface StepResult<O, I> extends ResetResult<O, I> {
  rewards: Record<string, number>;
  terminations: Record<string, boolean>;
  truncations: Record<string, boolean>;
}

/**
 * The multi-agent API, after PettingZoo's parallel API: every live agent acts at once each step;
 * agents that terminate or truncate leave `agents` after the step that reported it.
 */
export interface ParallelEnv<O, A, I> {
  readonly metadata: { name: string; renderModes: string[] };
  readonly possibleAgents: readonly string[];
  /** Agents still live, in a stable order. */
  readonly agents: readonly string[];
  /** `agents.length`. */
  readonly numAgents: number;
  observationSpace(agent: string): Space;
  actionSpace(agent: string): Space;
  reset(options?: { seed?: number }): ResetResult<O, I>;
  step(actions: Record<string, A>): StepResult<O, I>;
  /** The full world state (for recorders and viewers). */
  state(): unknown;
  close(): void;
}
