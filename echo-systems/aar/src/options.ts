import type { BodyState } from './AgentMind.ts';
import { type CognitiveMap, compassOf, type DistanceField } from './CognitiveMap.ts';

/** What a deliberation option sets out to do. */
export type OptionKind = 'drink' | 'eat' | 'explore';

/** How a remembered resource was when last seen. */
export type PlaceState = 'full' | 'dry' | 'eaten';

/** A remembered resource: a spring or a food cell, as the agent last saw it. */
export interface RememberedPlace {
  kind: 'water' | 'food';
  x: number;
  y: number;
  state: PlaceState;
  /** Tick it was last seen. */
  seen: number;
}

/** One option offered to the model: a goal the motor layer can carry out, and its text. */
export interface DeliberationOption {
  kind: OptionKind;
  /** The resource cell (drink, eat) or the frontier cell (explore). */
  target: { x: number; y: number };
  /** For drink/eat: the place as remembered. */
  place?: RememberedPlace;
  /** Steps to reach it (to the cell beside a resource). */
  steps: number;
  /** Compass direction from the agent. */
  direction: string;
  /** The option as the prompt shows it. */
  label: string;
}

/** How long the world takes to refill a spring and regrow food (what a seasoned forager knows). */
export interface Regrowth {
  waterRefillTicks: number;
  foodRegrowTicks: number;
}

/** Below this level a need counts (the same threshold as eating or drinking what is in front). */
export const NEED_THRESHOLD = 0.85;

/** The four cells beside (x, y). */
export function besideCells(x: number, y: number): Array<{ x: number; y: number }> {
  return [
    { x, y: y - 1 },
    { x: x + 1, y },
    { x, y: y + 1 },
    { x: x - 1, y },
  ].filter((c) => c.x >= 0 && c.y >= 0);
}

/** Steps to the nearest walkable cell beside a resource (Infinity when none can be reached). */
export function stepsToBeside(field: DistanceField, map: CognitiveMap, x: number, y: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const c of besideCells(x, y)) if (map.walkable(c.x, c.y)) best = Math.min(best, field.steps(c.x, c.y));
  return best;
}

/** The option text for a remembered place. */
export function placeLabel(p: RememberedPlace, steps: number, direction: string): string {
  const where = steps === 0 ? 'right here' : `${steps} step${steps === 1 ? '' : 's'} ${direction}`;
  if (p.kind === 'water')
    return p.state === 'dry'
      ? `drink at the spring seen dry at t${p.seen}, ${where}`
      : `drink at the spring seen at t${p.seen}, ${where}`;
  return p.state === 'eaten'
    ? `eat where the food was gone at t${p.seen}, ${where}`
    : `eat the food seen at t${p.seen}, ${where}`;
}

/** An option for a remembered place, or undefined when the map offers no way there. */
export function placeOption(
  p: RememberedPlace,
  here: { x: number; y: number },
  field: DistanceField,
  map: CognitiveMap,
): DeliberationOption | undefined {
  const steps = stepsToBeside(field, map, p.x, p.y);
  if (!Number.isFinite(steps)) return undefined;
  const direction = compassOf(p.x - here.x, p.y - here.y);
  return {
    kind: p.kind === 'water' ? 'drink' : 'eat',
    target: { x: p.x, y: p.y },
    place: p,
    steps,
    direction,
    label: placeLabel(p, steps, direction),
  };
}

/**
 * Where to explore: the frontier cell with the most unknown ground around it for the walk there
 * (unknown count ÷ (1 + steps / 6)), at least 2 steps away when any is; undefined when all is known.
 */
export function exploreOption(
  here: { x: number; y: number },
  field: DistanceField,
  map: CognitiveMap,
): DeliberationOption | undefined {
  let best: { x: number; y: number; score: number; steps: number } | undefined;
  for (const f of map.frontier()) {
    const steps = field.steps(f.x, f.y);
    if (!Number.isFinite(steps) || steps < 2) continue;
    const score = f.unknown / (1 + steps / 6);
    if (!best || score > best.score) best = { x: f.x, y: f.y, score, steps };
  }
  if (!best) return undefined;
  const direction = compassOf(best.x - here.x, best.y - here.y);
  return {
    kind: 'explore',
    target: { x: best.x, y: best.y },
    steps: best.steps,
    direction,
    label: `explore ${direction} (unknown ground ${best.steps} steps away)`,
  };
}

/** True when a remembered place should have something to give by `now`. */
export function isAvailable(p: RememberedPlace, now: number, regrowth: Regrowth): boolean {
  if (p.state === 'full') return true;
  const wait = p.kind === 'water' ? regrowth.waterRefillTicks : regrowth.foodRegrowTicks;
  return now - p.seen >= wait;
}

/**
 * The teacher's choice among options, from what the prompt shows: the body's levels, the tick, and
 * each option's kind, state, age and steps. The most pressing need below {@link NEED_THRESHOLD}
 * first: the nearest option serving it that should have something to give (full, or dry / eaten long
 * enough ago to have refilled); then the other need; else explore; else the nearest option.
 * Returns the option index.
 */
export function teacherChoice(
  options: readonly DeliberationOption[],
  body: Pick<BodyState, 'energy' | 'hydration'>,
  now: number,
  regrowth: Regrowth,
): number {
  const needs: Array<{ kind: OptionKind; level: number }> = [
    { kind: 'drink' as const, level: body.hydration },
    { kind: 'eat' as const, level: body.energy },
  ]
    .filter((n) => n.level < NEED_THRESHOLD)
    .sort((a, b) => a.level - b.level);
  for (const need of needs) {
    let best = -1;
    options.forEach((o, i) => {
      if (o.kind !== need.kind || !o.place || !isAvailable(o.place, now, regrowth)) return;
      if (best < 0 || o.steps < options[best]!.steps) best = i;
    });
    if (best >= 0) return best;
  }
  const explore = options.findIndex((o) => o.kind === 'explore');
  if (explore >= 0) return explore;
  let nearest = 0;
  options.forEach((o, i) => {
    if (o.steps < options[nearest]!.steps) nearest = i;
  });
  return nearest;
}
