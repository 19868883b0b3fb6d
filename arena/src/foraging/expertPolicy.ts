import { Action, ViewObject } from './constants.ts';
import type { ForagingObservation } from './ForagingArena.ts';

/** Cells an agent can stand on or reach into: free ground, food and water (not walls, hazards, agents). */
function passable(v: number | undefined): boolean {
  return v === ViewObject.Empty || v === ViewObject.Food || v === ViewObject.Water;
}

/**
 * A scripted expert for the foraging arena, reading only the agent's own observation: eat or drink
 * what is in front when the body needs it, otherwise steer toward the most needed resource in view
 * (avoiding hazards and agents), otherwise explore: straight on, and at a wall, hazard or agent turn to
 * the free side (right when both or neither are free). It is a pure function of what the observation
 * shows, with no hidden randomness, so its every choice can be learnt from the agents' prompts (an
 * earlier version turned on a hash of the tick, which no prompt carries). Always returns a legal
 * action. Used as the reflex fallback of agents, as the teacher of echo-tiny and as the expert in
 * evaluations.
 */
export function expertPolicy(obs: ForagingObservation, viewSize: number): number {
  const [energy = 1, hydration = 1] = obs.proprio;
  const mask = obs.actionMask;
  const k = viewSize;
  const half = (k - 1) >> 1;
  const front = obs.view[((k - 2) * k + half) * 3];
  const needFood = energy < 0.85;
  const needWater = hydration < 0.85;
  if (mask[Action.Eat] && needFood) return Action.Eat;
  if (mask[Action.Drink] && needWater) return Action.Drink;
  // Most urgent need first; both resources are goals when both are low.
  const targets: number[] = [];
  if (needFood && needWater)
    targets.push(...(energy <= hydration ? [ViewObject.Food, ViewObject.Water] : [ViewObject.Water, ViewObject.Food]));
  else if (needFood) targets.push(ViewObject.Food);
  else if (needWater) targets.push(ViewObject.Water);
  let best = null as { ahead: number; side: number; d: number } | null;
  for (const want of targets) {
    for (let row = 0; row < k; row++) {
      for (let col = 0; col < k; col++) {
        if (obs.view[(row * k + col) * 3] !== want) continue;
        const ahead = k - 1 - row;
        const side = col - half;
        const d = ahead + Math.abs(side);
        if (d > 0 && (!best || d < best.d)) best = { ahead, side, d };
      }
    }
    if (best) break;
  }
  const safeForward = mask[Action.Forward] === 1 && front !== ViewObject.Hazard && front !== ViewObject.Agent;
  if (best) {
    if (best.side === 0 && best.ahead > 1 && safeForward) return Action.Forward;
    if (best.side < 0) return best.ahead > 0 && safeForward ? Action.Forward : Action.TurnLeft;
    if (best.side > 0) return best.ahead > 0 && safeForward ? Action.Forward : Action.TurnRight;
    // Straight ahead but blocked: step around it (below).
  } else if (safeForward) return Action.Forward;
  // Blocked: turn to the free side; right when both or neither are free.
  const leftFree = passable(obs.view[((k - 1) * k + half - 1) * 3]);
  const rightFree = passable(obs.view[((k - 1) * k + half + 1) * 3]);
  return leftFree && !rightFree ? Action.TurnLeft : Action.TurnRight;
}
