import type { Rng } from '../Rng.ts';
import { Cell } from './constants.ts';
import type { ForagingConfig } from './ForagingConfig.ts';

/**
 * Lays out a seeded map: border walls, scattered interior walls, food, water and hazards, and one
 * free spawn cell (with a random heading) per agent.
 */
export function generateGrid(
  c: ForagingConfig,
  rng: Rng,
): { grid: Uint8Array; spawns: Array<{ x: number; y: number; heading: number }> } {
  const grid = new Uint8Array(c.width * c.height);
  const interior: number[] = [];
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++) {
      const border = x === 0 || y === 0 || x === c.width - 1 || y === c.height - 1;
      if (border) grid[y * c.width + x] = Cell.Wall;
      else interior.push(y * c.width + x);
    }
  }
  // Fisher–Yates over the interior, then carve features off the front of the shuffled list.
  for (let i = interior.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = interior[i]!;
    interior[i] = interior[j]!;
    interior[j] = t;
  }
  let next = 0;
  const place = (fraction: number, kind: number) => {
    const count = Math.floor(interior.length * fraction);
    for (let k = 0; k < count && next < interior.length - c.numAgents; k++) grid[interior[next++]!] = kind;
  };
  place(c.wallDensity, Cell.Wall);
  place(c.waterDensity, Cell.Water);
  place(c.foodDensity, Cell.Food);
  place(c.hazardDensity, Cell.Hazard);
  const spawns: Array<{ x: number; y: number; heading: number }> = [];
  for (let k = 0; k < c.numAgents; k++) {
    const p = interior[next++]!;
    spawns.push({ x: p % c.width, y: Math.floor(p / c.width), heading: rng.int(4) });
  }
  return { grid, spawns };
}
