import type { Rng } from '../Rng.ts';
import { Cell } from './constants.ts';
import type { ForagingConfig } from './ForagingConfig.ts';

/** A hazard patrolling a straight track of cells (grid indices), one cell per tick, bouncing at the ends. */
export interface Patrol {
  track: number[];
  /** Index into `track` of the cell the hazard is on. */
  at: number;
  /** +1 or −1: the way it moves along the track. */
  dir: number;
}

/**
 * Lays out a seeded map: border walls, scattered interior walls, food, water and hazards, one free
 * spawn cell (with a random heading) per agent, and (`movingHazards > 0`) the patrol tracks on free
 * cells. The classic world draws exactly the numbers it always drew, so its seeds give the same maps.
 */
export function generateGrid(
  c: ForagingConfig,
  rng: Rng,
): { grid: Uint8Array; spawns: Array<{ x: number; y: number; heading: number }>; patrols: Patrol[] } {
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
  const patrols: Patrol[] = [];
  if (c.movingHazards > 0) {
    const taken = new Uint8Array(grid.length);
    for (const s of spawns) taken[s.y * c.width + s.x] = 1;
    for (let attempt = 0; attempt < 200 * c.movingHazards && patrols.length < c.movingHazards; attempt++) {
      const start = interior[next + rng.int(interior.length - next)]!;
      const step = rng.int(2) === 0 ? 1 : c.width; // east–west or north–south
      const track: number[] = [];
      for (let k = 0; k < c.patrolLength; k++) {
        const p = start + k * step;
        if (p >= grid.length || grid[p] !== Cell.Empty || taken[p] || (step === 1 && p % c.width < start % c.width))
          break;
        track.push(p);
      }
      if (track.length < c.patrolLength) continue;
      for (const p of track) taken[p] = 1;
      const at = rng.int(track.length);
      grid[track[at]!] = Cell.Hazard;
      patrols.push({ track, at, dir: rng.int(2) === 0 ? 1 : -1 });
    }
  }
  return { grid, spawns, patrols };
}
