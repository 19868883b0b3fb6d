import { Action, ViewObject } from './constants.ts';
import type { ForagingObservation } from './ForagingArena.ts';

/**
 * A scripted expert for the foraging arena, reading only the agent's own observation: eat or drink
 * what is in front when the body needs it, otherwise steer toward the most needed resource in view
 * (avoiding hazards and walls), otherwise explore. Always returns a legal action. Used as the reflex
 * fallback of agents and as the expert in evaluations.
 */
export function expertPolicy(obs: ForagingObservation, viewSize: number, explore = 0): number {
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
    // Straight ahead but blocked: step around it.
    return explore % 2 === 0 ? Action.TurnLeft : Action.TurnRight;
  }
  // Explore: mostly straight on, turning at obstacles and now and then (a cheap hash of `explore`).
  const h = Math.imul(explore ^ 0x5bd1e995, 0x27d4eb2d) >>> 27;
  if (safeForward && h > 3) return Action.Forward;
  return h % 2 === 0 ? Action.TurnLeft : Action.TurnRight;
}
