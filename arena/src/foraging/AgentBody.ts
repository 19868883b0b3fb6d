/** An agent's body: where it is, which way it faces, and its internal levels in [0, 1]. */
export interface AgentBody {
  x: number;
  y: number;
  heading: number;
  energy: number;
  hydration: number;
  health: number;
  alive: boolean;
  /** Levels one step ago (their differences are the rates of change in proprioception). */
  prev: { energy: number; hydration: number; health: number };
  lastAction: number | null;
  lastActionOk: boolean;
  collided: boolean;
  /** Pain in [0, 1]: 1 on a hazard, 0.5 starving, 0.25 after a collision. */
  pain: number;
  /** This body's metabolism: multipliers of the world's energy and hydration decay (1 = the world's rate). */
  needRates: { energy: number; hydration: number };
}

/** A fresh, healthy body. */
export function newBody(
  x: number,
  y: number,
  heading: number,
  needRates: { energy: number; hydration: number } = { energy: 1, hydration: 1 },
): AgentBody {
  return {
    x,
    y,
    heading,
    energy: 0.8,
    hydration: 0.8,
    health: 1,
    alive: true,
    prev: { energy: 0.8, hydration: 0.8, health: 1 },
    lastAction: null,
    lastActionOk: true,
    collided: false,
    pain: 0,
    needRates: { ...needRates },
  };
}
