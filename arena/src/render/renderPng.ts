import { Cell } from '../foraging/constants.ts';
import type { ForagingState } from '../foraging/ForagingArena.ts';
import { encodePng } from './encodePng.ts';

const COLORS: Record<number, [number, number, number]> = {
  [Cell.Empty]: [236, 232, 220],
  [Cell.Wall]: [70, 70, 80],
  [Cell.Food]: [80, 170, 60],
  [Cell.Water]: [60, 120, 220],
  [Cell.Hazard]: [220, 60, 40],
  [Cell.DrySpring]: [160, 140, 110],
};
const AGENT_COLORS: Array<[number, number, number]> = [
  [240, 180, 0],
  [170, 60, 200],
  [0, 180, 180],
  [230, 100, 160],
  [120, 80, 40],
  [20, 20, 20],
];

/** The world as a PNG, `scale` pixels per cell; agents are filled squares with a nose on their heading side. */
export function renderPng(state: ForagingState, scale = 16): Buffer {
  const w = state.width * scale;
  const h = state.height * scale;
  const rgb = new Uint8Array(w * h * 3);
  const fill = (cx: number, cy: number, x0: number, y0: number, x1: number, y1: number, c: readonly number[]) => {
    for (let y = cy * scale + y0; y < cy * scale + y1; y++)
      for (let x = cx * scale + x0; x < cx * scale + x1; x++) rgb.set(c, (y * w + x) * 3);
  };
  for (let y = 0; y < state.height; y++)
    for (let x = 0; x < state.width; x++)
      fill(x, y, 0, 0, scale, scale, COLORS[state.grid[y * state.width + x]!] ?? [0, 0, 0]);
  const m = Math.max(1, scale >> 3);
  state.agents.forEach((a, i) => {
    const color = a.alive ? AGENT_COLORS[i % AGENT_COLORS.length]! : [150, 150, 150];
    fill(a.x, a.y, m, m, scale - m, scale - m, color);
    const n = Math.max(1, scale >> 2);
    const nose = [
      [scale / 2 - n / 2, m, scale / 2 + n / 2, m + n],
      [scale - m - n, scale / 2 - n / 2, scale - m, scale / 2 + n / 2],
      [scale / 2 - n / 2, scale - m - n, scale / 2 + n / 2, scale - m],
      [m, scale / 2 - n / 2, m + n, scale / 2 + n / 2],
    ][a.heading]!.map(Math.round) as [number, number, number, number];
    fill(a.x, a.y, nose[0], nose[1], nose[2], nose[3], [255, 255, 255]);
  });
  return encodePng(w, h, rgb);
}
