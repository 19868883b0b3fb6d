import type { ForagingState } from '../foraging/ForagingArena.ts';

/** One frame for viewers: the state with numbers rounded to 4 decimals (stable across platforms). */
export function renderJsonFrame(state: ForagingState): string {
  const r = (v: number) => Math.round(v * 1e4) / 1e4;
  return JSON.stringify({
    tick: state.tick,
    width: state.width,
    height: state.height,
    grid: state.grid,
    agents: state.agents.map((a) => ({
      id: a.id,
      x: a.x,
      y: a.y,
      heading: a.heading,
      alive: a.alive,
      energy: r(a.energy),
      hydration: r(a.hydration),
      health: r(a.health),
      pain: r(a.pain),
    })),
  });
}
