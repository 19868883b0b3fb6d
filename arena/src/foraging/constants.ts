/**
 * Cell contents of the foraging grid (what `grid` stores). `DrySpring` is a water source drunk dry
 * (worlds with `waterCapacity > 0`); it fills up again after `waterRefillTicks`.
 */
export const Cell = { Empty: 0, Wall: 1, Food: 2, Water: 3, Hazard: 4, DrySpring: 5 } as const;
export type CellKind = (typeof Cell)[keyof typeof Cell];

/** Object codes of the egocentric view, after MiniGrid's OBJECT_TO_IDX (0 = unseen). */
export const ViewObject = {
  Unseen: 0,
  Empty: 1,
  Wall: 2,
  Food: 3,
  Water: 4,
  Hazard: 5,
  Agent: 6,
  DrySpring: 7,
} as const;

/** The discrete actions; the index is the action id. */
export const ACTIONS = ['stay', 'forward', 'turn_left', 'turn_right', 'eat', 'drink'] as const;
export type ActionName = (typeof ACTIONS)[number];
export const Action = { Stay: 0, Forward: 1, TurnLeft: 2, TurnRight: 3, Eat: 4, Drink: 5 } as const;

/** Headings: 0 north (−y), 1 east, 2 south, 3 west. */
export const HEADINGS = ['north', 'east', 'south', 'west'] as const;
export const DX = [0, 1, 0, -1] as const;
export const DY = [-1, 0, 1, 0] as const;

/** Names of the proprioception vector's entries, in order. */
export const PROPRIO_FIELDS = [
  'energy',
  'hydration',
  'health',
  'd_energy',
  'd_hydration',
  'd_health',
  'last_action_ok',
  'collided',
  'pain',
] as const;
