import type { AgentBody } from './AgentBody.ts';
import { Cell, DX, DY, ViewObject } from './constants.ts';
import type { ForagingConfig } from './ForagingConfig.ts';

const CELL_TO_VIEW = [
  ViewObject.Empty,
  ViewObject.Wall,
  ViewObject.Food,
  ViewObject.Water,
  ViewObject.Hazard,
  ViewObject.DrySpring,
];

/**
 * The k×k×3 egocentric view, MiniGrid's encoding: the agent stands at the bottom centre facing up;
 * each cell is [object, colour, state] — for other agents colour = their index mod 6 and state =
 * their heading relative to the viewer; cells outside the grid are `Unseen` (0).
 * Layout: view[(row * k + col) * 3 + channel], row 0 = farthest ahead; `occupancy` holds agent index + 1 per cell.
 */
export function egocentricView(
  grid: Uint8Array,
  occupancy: Int32Array,
  c: ForagingConfig,
  bodies: readonly AgentBody[],
  self: number,
): Uint8Array {
  const k = c.viewSize;
  const half = (k - 1) >> 1;
  const me = bodies[self]!;
  const right = (me.heading + 1) % 4;
  const view = new Uint8Array(k * k * 3);
  for (let row = 0; row < k; row++) {
    const ahead = k - 1 - row;
    for (let col = 0; col < k; col++) {
      const side = col - half;
      const x = me.x + ahead * DX[me.heading]! + side * DX[right]!;
      const y = me.y + ahead * DY[me.heading]! + side * DY[right]!;
      const o = (row * k + col) * 3;
      if (x < 0 || y < 0 || x >= c.width || y >= c.height) continue;
      view[o] = CELL_TO_VIEW[grid[y * c.width + x] ?? Cell.Empty] ?? ViewObject.Empty;
      const j = occupancy[y * c.width + x]! - 1;
      if (j >= 0 && j !== self) {
        view[o] = ViewObject.Agent;
        view[o + 1] = j % 6;
        view[o + 2] = (bodies[j]!.heading - me.heading + 4) % 4;
      }
    }
  }
  return view;
}
