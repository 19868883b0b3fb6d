import { ForagingArena, type ForagingConfig, type ForagingObservation } from '@dte/arena';

/** Who is deciding, for policies that render prompts. */
export interface PolicyContext {
  agent: string;
  agentIndex: number;
  episode: number;
  tick: number;
  viewSize: number;
  /** The agent's reward and action of the previous tick (0 and -1 on the first). */
  lastReward: number;
  lastAction: number;
}

/** A policy: the action id for an observation (may be async: a model). */
export type Policy = (obs: ForagingObservation, ctx: PolicyContext) => number | Promise<number>;

/** Figures of {@link evaluatePolicy}. */
export interface PolicyEvaluation {
  /** Mean total reward per agent and episode. */
  meanReward: number;
  /** Mean fraction of the episode each agent stayed alive. */
  survival: number;
  decisions: number;
}

/**
 * Runs `episodes` foraging episodes (seeds `seed`, `seed + 1`, …; 8×8, 2 agents unless overridden) with
 * every agent driven by `policy`, and returns the mean reward and survival: the arena side of
 * `eval:echo-tiny` (echo-tiny vs random vs the scripted expert).
 * @example await evaluatePolicy((o, c) => expertPolicy(o, c.viewSize), { seed: 1, episodes: 10, ticks: 100 })
 */
export async function evaluatePolicy(
  policy: Policy,
  o: { seed: number; episodes: number; ticks: number; arena?: Partial<ForagingConfig> },
): Promise<PolicyEvaluation> {
  let reward = 0;
  let alive = 0;
  let agents = 0;
  let decisions = 0;
  for (let e = 0; e < o.episodes; e++) {
    const env = new ForagingArena({ width: 8, height: 8, numAgents: 2, maxCycles: o.ticks, ...o.arena });
    let { observations } = env.reset({ seed: (o.seed + e) >>> 0 });
    agents += env.possibleAgents.length;
    const last: Record<string, { reward: number; action: number }> = {};
    for (let t = 0; t < o.ticks && env.agents.length > 0; t++) {
      const actions: Record<string, number> = {};
      for (const id of env.agents) {
        const ctx = {
          agent: id,
          agentIndex: env.possibleAgents.indexOf(id),
          episode: e,
          tick: t,
          viewSize: env.config.viewSize,
          lastReward: last[id]?.reward ?? 0,
          lastAction: last[id]?.action ?? -1,
        };
        actions[id] = await policy(observations[id]!, ctx);
        decisions++;
      }
      alive += env.agents.length;
      const step = env.step(actions);
      observations = step.observations;
      for (const [id, r] of Object.entries(step.rewards)) {
        reward += r;
        last[id] = { reward: r, action: actions[id]! };
      }
    }
  }
  return { meanReward: reward / agents, survival: alive / (agents * o.ticks), decisions };
}
