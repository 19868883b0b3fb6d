/** Parameters of a foraging arena; every field has a documented default. */
export interface ForagingConfig {
  /** Grid width and height in cells, walls included (default 16 × 16). */
  width: number;
  height: number;
  /** Number of agents (default 4). */
  numAgents: number;
  /** Side of the egocentric view, odd (default 5: 4 cells ahead, 2 to each side). */
  viewSize: number;
  /** Steps before every agent is truncated (PettingZoo's max_cycles; default 500). */
  maxCycles: number;
  /** Fractions of interior cells holding each feature. */
  foodDensity: number;
  waterDensity: number;
  hazardDensity: number;
  wallDensity: number;
  /** Ticks before an eaten food cell grows back. */
  regrowTicks: number;
  /** Body dynamics per tick. */
  energyDecay: number;
  hydrationDecay: number;
  moveCost: number;
  starvationDamage: number;
  hazardDamage: number;
  collisionDamage: number;
  healRate: number;
  foodEnergy: number;
  waterHydration: number;
  /** Drinks a water source gives before it runs dry (0: it never does — the classic world). */
  waterCapacity: number;
  /** Ticks a dry spring takes to fill up again. */
  waterRefillTicks: number;
  /** Hazards that patrol back and forth along a straight track of free cells, one cell per tick. */
  movingHazards: number;
  /** Cells in a patrol track (≥ 2). */
  patrolLength: number;
  /** Each body's energy and hydration decay are scaled by factors drawn from [1 − s, 1 + s] (0: equal). */
  needRateSpread: number;
}

export const DEFAULT_FORAGING_CONFIG: ForagingConfig = {
  width: 16,
  height: 16,
  numAgents: 4,
  viewSize: 5,
  maxCycles: 500,
  foodDensity: 0.08,
  waterDensity: 0.05,
  hazardDensity: 0.03,
  wallDensity: 0.06,
  regrowTicks: 25,
  energyDecay: 0.005,
  hydrationDecay: 0.006,
  moveCost: 0.004,
  starvationDamage: 0.04,
  hazardDamage: 0.2,
  collisionDamage: 0.02,
  healRate: 0.01,
  foodEnergy: 0.4,
  waterHydration: 0.5,
  waterCapacity: 0,
  waterRefillTicks: 0,
  movingHazards: 0,
  patrolLength: 4,
  needRateSpread: 0,
};

/**
 * The world where cognition pays: food and water are sparse and mostly out of view; a spring gives a
 * few drinks, runs dry and fills up again in place, food grows back slowly where it was eaten (so
 * remembering where things were pays); hazards patrol back and forth (so predicting them pays); and
 * every body has its own metabolism. The grid is sized for the number of agents by the caller
 * ({@link foragingWorldSize}).
 */
export const OASES_FORAGING_CONFIG: ForagingConfig = {
  ...DEFAULT_FORAGING_CONFIG,
  width: 24,
  height: 24,
  foodDensity: 0.03,
  waterDensity: 0.016,
  hazardDensity: 0.01,
  wallDensity: 0.08,
  regrowTicks: 90,
  energyDecay: 0.005,
  hydrationDecay: 0.008,
  moveCost: 0.002,
  starvationDamage: 0.05,
  hazardDamage: 0.25,
  healRate: 0.01,
  foodEnergy: 0.45,
  waterHydration: 0.45,
  waterCapacity: 3,
  waterRefillTicks: 70,
  movingHazards: 10,
  patrolLength: 5,
  needRateSpread: 0.4,
};

/** The named worlds: `classic` (the original, dense, everything in reach) and `oases` (the default of runs). */
export const FORAGING_PRESETS = { classic: DEFAULT_FORAGING_CONFIG, oases: OASES_FORAGING_CONFIG } as const;
export type ForagingPreset = keyof typeof FORAGING_PRESETS;

/**
 * Grid side for `numAgents` agents in a preset: the preset's size, grown so that each agent has about
 * as much room as in the preset's own layout (classic: 40 cells per agent; oases: 48).
 */
export function foragingWorldSize(preset: ForagingPreset, numAgents: number): number {
  const base = FORAGING_PRESETS[preset].width;
  const perAgent = preset === 'classic' ? 40 : 48;
  return Math.max(base, Math.ceil(Math.sqrt(numAgents * perAgent)));
}

/**
 * A preset's config for `numAgents` agents: the grid sized by {@link foragingWorldSize}, patrolling
 * hazards scaled with the area, then `overrides`.
 * @example new ForagingArena(foragingConfigFor('oases', 16, { maxCycles: 200 }))
 */
export function foragingConfigFor(
  preset: ForagingPreset,
  numAgents: number,
  overrides: Partial<ForagingConfig> = {},
): ForagingConfig {
  const base = FORAGING_PRESETS[preset];
  const side = foragingWorldSize(preset, numAgents);
  const area = (side * side) / (base.width * base.height);
  return {
    ...base,
    numAgents,
    width: side,
    height: side,
    movingHazards: Math.round(base.movingHazards * area),
    ...overrides,
  };
}
