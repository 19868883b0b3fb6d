import { Cell } from '../foraging/constants.ts';
import type { ForagingState } from '../foraging/ForagingArena.ts';

const GLYPH: Record<number, string> = {
  [Cell.Empty]: '.',
  [Cell.Wall]: '#',
  [Cell.Food]: 'f',
  [Cell.Water]: '~',
  [Cell.Hazard]: 'x',
  [Cell.DrySpring]: 'o',
};
const ARROWS = ['^', '>', 'v', '<'];

/**
 * The world as text: `#` wall, `f` food, `~` water, `o` dry spring, `x` hazard, agents as arrows of their heading
 * (dead agents as `+`), followed by one body line per agent.
 */
export function renderAscii(state: ForagingState): string {
  const rows: string[][] = [];
  for (let y = 0; y < state.height; y++) {
    rows.push(Array.from({ length: state.width }, (_, x) => GLYPH[state.grid[y * state.width + x]!] ?? '?'));
  }
  for (const a of state.agents) {
    const row = rows[a.y];
    if (row) row[a.x] = a.alive ? (ARROWS[a.heading] ?? '?') : '+';
  }
  const bodies = state.agents.map(
    (a) =>
      `${a.id}: E${a.energy.toFixed(2)} H2O${a.hydration.toFixed(2)} HP${a.health.toFixed(2)}${a.alive ? '' : ' (dead)'}`,
  );
  return `tick ${state.tick}\n${rows.map((r) => r.join('')).join('\n')}\n${bodies.join('\n')}\n`;
}
