import type { Percept, ThingKind } from './AgentMind.ts';
import type { CognitiveMap, DistanceField } from './CognitiveMap.ts';
import { besideCells, type DeliberationOption, NEED_THRESHOLD } from './options.ts';

/** The action ids a mind needs, looked up by name in the adapter's action list. */
export interface ActionIds {
  stay: number;
  forward: number;
  turnLeft: number;
  turnRight: number;
  eat: number;
  drink: number;
}

/** Action ids by name (`stay`, `forward`, `turn_left`, `turn_right`, `eat`, `drink`). */
export function actionIdsOf(actionNames: readonly string[]): ActionIds {
  const id = (name: string) => {
    const i = actionNames.indexOf(name);
    if (i < 0) throw new RangeError(`actionIdsOf: the arena has no '${name}' action`);
    return i;
  };
  return {
    stay: id('stay'),
    forward: id('forward'),
    turnLeft: id('turn_left'),
    turnRight: id('turn_right'),
    eat: id('eat'),
    drink: id('drink'),
  };
}

/** A goal being carried out: the chosen option, since when, and how many ticks it may take. */
export interface Goal {
  option: DeliberationOption;
  since: number;
  budget: number;
}

/** What the motor layer made of a goal this tick. */
export interface MotorStep {
  /** The action toward the goal (undefined when the goal just ended). */
  action?: number;
  /** `reached`, `failed`, or undefined while under way. */
  outcome?: 'reached' | 'failed';
}

const DX = [0, 1, 0, -1];
const DY = [-1, 0, 1, 0];

/** Heading (0 north … 3 west) from one cell to a 4-neighbour. */
function headingTo(from: { x: number; y: number }, to: { x: number; y: number }): number {
  if (to.x > from.x) return 1;
  if (to.x < from.x) return 3;
  return to.y > from.y ? 2 : 0;
}

/** The action that turns `heading` toward `want`, or steps forward when already facing it. */
export function turnToward(heading: number, want: number, ids: ActionIds): number {
  if (want === heading) return ids.forward;
  return want === (heading + 3) % 4 ? ids.turnLeft : ids.turnRight;
}

/** A budget of ticks for a goal `steps` away: walking plus turning, with slack. */
export function goalBudget(steps: number): number {
  return 2 * steps + 10;
}

/**
 * One tick of carrying out a goal on the agent's own map: walk the planned path to the cell beside a
 * resource, face it, then drink or eat until the need is met; walk to a frontier cell to explore. The
 * goal is reached when the need is met (or, exploring, when the frontier there is known), and fails
 * when the resource is found dry or gone, the map offers no way, or the budget runs out.
 */
export function motorStep(goal: Goal, p: Percept, map: CognitiveMap, field: DistanceField, ids: ActionIds): MotorStep {
  const o = goal.option;
  const here = p.position;
  if (p.tick - goal.since > goal.budget) return { outcome: 'failed' };
  if (o.kind === 'explore') {
    const unknownAround = besideCells(o.target.x, o.target.y).some((c) => map.get(c.x, c.y) === undefined);
    if ((here.x === o.target.x && here.y === o.target.y) || !unknownAround) return { outcome: 'reached' };
    return walkTo([o.target], p, field, ids);
  }
  const level = o.kind === 'drink' ? p.body.hydration : p.body.energy;
  if (level >= 0.95) return { outcome: 'reached' };
  const seen: ThingKind | undefined = map.get(o.target.x, o.target.y)?.kind;
  const want: ThingKind = o.kind === 'drink' ? 'water' : 'food';
  if (seen !== undefined && seen !== want)
    return { outcome: seen === 'ground' && level > NEED_THRESHOLD ? 'reached' : 'failed' };
  const beside = Math.abs(here.x - o.target.x) + Math.abs(here.y - o.target.y) === 1;
  if (beside) {
    const face = headingTo(here, o.target);
    if (face !== p.heading) return { action: turnToward(p.heading, face, ids) };
    const act = o.kind === 'drink' ? ids.drink : ids.eat;
    return p.actionMask[act] ? { action: act } : { outcome: 'failed' };
  }
  const targets = besideCells(o.target.x, o.target.y).filter((c) => map.walkable(c.x, c.y));
  return walkTo(targets, p, field, ids);
}

/** The first action along the cheapest path to the nearest of `targets`. */
function walkTo(targets: Array<{ x: number; y: number }>, p: Percept, field: DistanceField, ids: ActionIds): MotorStep {
  let best: { x: number; y: number } | undefined;
  for (const t of targets) if (!best || field.cost(t.x, t.y) < field.cost(best.x, best.y)) best = t;
  if (!best || !Number.isFinite(field.cost(best.x, best.y))) return { outcome: 'failed' };
  const path = field.path(best.x, best.y);
  const next = path?.[0];
  if (!next) return { outcome: 'reached' };
  return { action: turnToward(p.heading, headingTo(p.position, next), ids) };
}

/** What the reflex knows of danger: seen now, and (with a reservoir) predicted for the next tick. */
export interface Danger {
  /** A hazard in front, or predicted to be there next tick. */
  front: boolean;
  /** A hazard on the agent's cell, or predicted to come onto it. */
  here: boolean;
}

/**
 * The reflex, every tick and without a model: eat or drink what is in front when the body needs it;
 * never step into danger; get off a cell that is (or is about to be) a hazard; otherwise follow the
 * motor layer's `proposal`, or wander (straight on, turning to the free side at obstacles). It cannot
 * plan: it knows only the cell in front, the cells beside, and its danger signals.
 */
export function reflexAction(p: Percept, ids: ActionIds, danger: Danger, proposal?: number): number {
  const mask = p.actionMask;
  if (mask[ids.drink] && p.body.hydration < NEED_THRESHOLD && (proposal === undefined || proposal !== ids.eat))
    return ids.drink;
  if (mask[ids.eat] && p.body.energy < NEED_THRESHOLD && (proposal === undefined || proposal !== ids.drink))
    return ids.eat;
  const forwardOk = mask[ids.forward] === 1 && !danger.front && p.front !== 'agent';
  if (danger.here) return forwardOk ? ids.forward : freeTurn(p, ids);
  if (proposal !== undefined && mask[proposal]) {
    if (proposal !== ids.forward || forwardOk) return proposal;
    return danger.front ? ids.stay : freeTurn(p, ids);
  }
  return forwardOk ? ids.forward : freeTurn(p, ids);
}

/** Turn toward a free side (the left one when only it is free, else right). */
function freeTurn(p: Percept, ids: ActionIds): number {
  const side = (d: number) => {
    const h = (p.heading + d + 4) % 4;
    const x = p.position.x + DX[h]!;
    const y = p.position.y + DY[h]!;
    return p.sightings.find((s) => s.x === x && s.y === y)?.kind;
  };
  const free = (k: ThingKind | undefined) => k === 'ground' || k === 'food';
  return free(side(-1)) && !free(side(1)) ? ids.turnLeft : ids.turnRight;
}
