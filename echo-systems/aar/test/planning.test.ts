import { describe, expect, it } from 'vitest';
import {
  actionIdsOf,
  CognitiveMap,
  compassOf,
  exploreOption,
  isAvailable,
  motorStep,
  type Percept,
  placeOption,
  reflexAction,
  type Sighting,
  type ThingKind,
  teacherChoice,
} from '../src/index.ts';

/** A map from rows of characters: '#' wall, '~' water, 'o' dry spring, 'f' food, 'x' hazard, '.' ground. */
function mapOf(rows: string[]): CognitiveMap {
  const kinds: Record<string, ThingKind> = {
    '#': 'wall',
    '~': 'water',
    o: 'dry spring',
    f: 'food',
    x: 'hazard',
    '.': 'ground',
  };
  const s: Sighting[] = [];
  rows.forEach((r, y) => {
    [...r].forEach((c, x) => {
      if (kinds[c]) s.push({ kind: kinds[c]!, x, y });
    });
  });
  const m = new CognitiveMap();
  m.observe(s, 0);
  return m;
}

const IDS = actionIdsOf(['stay', 'forward', 'turn_left', 'turn_right', 'eat', 'drink']);

function percept(over: Partial<Percept>): Percept {
  return {
    tick: 5,
    text: '',
    body: {
      energy: 0.9,
      hydration: 0.9,
      health: 1,
      dEnergy: 0,
      dHydration: 0,
      dHealth: 0,
      lastActionOk: 1,
      collided: 0,
      pain: 0,
    },
    proprio: new Float32Array(9),
    sensation: new Float32Array(0),
    actionMask: Uint8Array.of(1, 1, 1, 1, 0, 0),
    reward: 0,
    position: { x: 1, y: 1 },
    heading: 1,
    sightings: [],
    front: 'ground',
    here: 'ground',
    hazardChannels: { front: 0, here: 0 },
    ...over,
  };
}

describe('CognitiveMap', () => {
  it('plans around walls and remembered hazards, and knows what changed', () => {
    const m = mapOf(['#######', '#..#..#', '#..x..#', '#.....#', '#######']);
    const f = m.distances({ x: 1, y: 1 }, 0);
    expect(f.steps(5, 1)).toBe(Number.POSITIVE_INFINITY === f.steps(5, 1) ? f.steps(5, 1) : f.steps(5, 1)); // reachable or not, finite below
    expect(f.steps(2, 1)).toBe(1);
    // (5, 1) is behind the wall column at x = 3 for rows 1; the way goes down through row 3, not over the hazard.
    const path = f.path(5, 1)!;
    expect(path.some((c) => c.x === 3 && c.y === 2)).toBe(false);
    expect(path.at(-1)).toEqual({ x: 5, y: 1 });
    expect(f.steps(5, 1)).toBe(path.length);
    expect(m.walkable(0, 0)).toBe(false);
    expect(m.walkable(40, 40)).toBe(true); // unknown ground is hopeful
    const changes = m.observe(
      [
        { kind: 'ground', x: 3, y: 2 },
        { kind: 'agent', x: 1, y: 3 },
      ],
      1,
    );
    expect(changes).toEqual([{ x: 3, y: 2, from: 'hazard', to: 'ground' }]);
    expect(m.get(1, 3)).toMatchObject({ kind: 'ground', agentTick: 1 });
    expect(m.get(3, 2)!.hazards).toBe(1); // a track cell is remembered as one
  });

  it('finds the frontier of what it has seen, and names directions by compass', () => {
    const m = mapOf(['...', '...']);
    const frontier = m.frontier();
    expect(frontier.length).toBeGreaterThan(0);
    for (const f of frontier) expect(f.unknown).toBeGreaterThan(0);
    expect(compassOf(0, -3)).toBe('north');
    expect(compassOf(5, 1)).toBe('east');
    expect(compassOf(-3, 3)).toBe('south-west');
    expect(compassOf(0, 0)).toBe('here');
  });
});

describe('options and the teacher', () => {
  const m = mapOf(['#########', '#.......#', '#~.....f#', '#.......#', '#########']);
  const here = { x: 4, y: 2 };
  const field = m.distances(here, 10);
  const spring = placeOption({ kind: 'water', x: 1, y: 2, state: 'full', seen: 3 }, here, field, m)!;
  const food = placeOption({ kind: 'food', x: 7, y: 2, state: 'eaten', seen: 8 }, here, field, m)!;

  it('labels places with their state, age, steps and direction', () => {
    expect(spring.label).toBe('drink at the spring seen at t3, 2 steps west');
    expect(food.label).toBe('eat where the food was gone at t8, 2 steps east');
    const explore = exploreOption(here, field, m);
    expect(
      explore === undefined ||
        /^explore (north|south|east|west|[a-z]+-[a-z]+) \(unknown ground \d+ steps away\)$/.test(explore.label),
    ).toBe(true);
  });

  it('the teacher serves the most pressing need with the nearest place that should have something, else explores', () => {
    const regrowth = { waterRefillTicks: 70, foodRegrowTicks: 90 };
    const explore = { ...spring, kind: 'explore' as const, place: undefined, label: 'explore' };
    const body = (energy: number, hydration: number) => ({ energy, hydration });
    expect(teacherChoice([food, spring, explore], body(0.9, 0.3), 10, regrowth)).toBe(1);
    expect(teacherChoice([food, spring, explore], body(0.3, 0.9), 10, regrowth)).toBe(2); // the food is not back yet
    expect(teacherChoice([food, spring, explore], body(0.3, 0.9), 100, regrowth)).toBe(0); // now it is
    expect(teacherChoice([food, spring, explore], body(0.95, 0.95), 10, regrowth)).toBe(2);
    expect(isAvailable({ kind: 'water', x: 0, y: 0, state: 'dry', seen: 0 }, 69, regrowth)).toBe(false);
    expect(isAvailable({ kind: 'water', x: 0, y: 0, state: 'dry', seen: 0 }, 70, regrowth)).toBe(true);
  });

  it('the motor layer walks to a spring, faces it and drinks until sated', () => {
    const goal = { option: spring, since: 0, budget: 20 };
    const p = percept({ position: { x: 3, y: 2 }, heading: 1, body: { ...percept({}).body, hydration: 0.4 } });
    // Facing east, the way is west: turn (right, then right again, or left twice).
    const first = motorStep(goal, p, m, m.distances(p.position, 5), IDS);
    expect([IDS.turnLeft, IDS.turnRight]).toContain(first.action);
    const facing = percept({
      position: { x: 2, y: 2 },
      heading: 3,
      actionMask: Uint8Array.of(1, 0, 1, 1, 0, 1),
      body: p.body,
    });
    expect(motorStep(goal, facing, m, m.distances(facing.position, 5), IDS).action).toBe(IDS.drink);
    const sated = { ...facing, body: { ...facing.body, hydration: 0.97 } };
    expect(motorStep(goal, sated, m, m.distances(sated.position, 5), IDS).outcome).toBe('reached');
    expect(motorStep({ ...goal, budget: 2 }, { ...p, tick: 10 }, m, m.distances(p.position, 5), IDS).outcome).toBe(
      'failed',
    );
  });

  it('the reflex eats and drinks what is in front when needed and keeps out of danger', () => {
    const thirsty = percept({
      front: 'water',
      actionMask: Uint8Array.of(1, 0, 1, 1, 0, 1),
      body: { ...percept({}).body, hydration: 0.5 },
    });
    expect(reflexAction(thirsty, IDS, { front: false, here: false })).toBe(IDS.drink);
    const walking = percept({});
    expect(reflexAction(walking, IDS, { front: false, here: false }, IDS.forward)).toBe(IDS.forward);
    expect(reflexAction(walking, IDS, { front: true, here: false }, IDS.forward)).toBe(IDS.stay); // wait it out
    expect(reflexAction(walking, IDS, { front: false, here: true })).toBe(IDS.forward); // get off the cell
  });
});
