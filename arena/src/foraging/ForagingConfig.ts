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
};
