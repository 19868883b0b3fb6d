import type { AgentBody } from './AgentBody.ts';
import { HEADINGS, ViewObject } from './constants.ts';

const NAMES: Record<number, string> = {
  [ViewObject.Wall]: 'a wall',
  [ViewObject.Food]: 'food',
  [ViewObject.Water]: 'water',
  [ViewObject.Hazard]: 'a hazard',
  [ViewObject.Agent]: 'another agent',
  [ViewObject.DrySpring]: 'a dry spring',
};

function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}

/**
 * A short English description of what the agent sees and feels, used in prompts. Deterministic:
 * features are listed nearest first, ties broken left to right; then what is on either side of the
 * agent (`free ground` when nothing is).
 */
export function describeObservation(view: Uint8Array, k: number, body: AgentBody): string {
  const half = (k - 1) >> 1;
  const seen: Array<{ what: string; ahead: number; side: number }> = [];
  for (let row = 0; row < k; row++) {
    for (let col = 0; col < k; col++) {
      const obj = view[(row * k + col) * 3]!;
      const ahead = k - 1 - row;
      const side = col - half;
      if ((ahead === 0 && side === 0) || !NAMES[obj] || (obj === ViewObject.Wall && Math.abs(side) + ahead > 1))
        continue;
      seen.push({ what: NAMES[obj]!, ahead, side });
    }
  }
  seen.sort((a, b) => a.ahead + Math.abs(a.side) - (b.ahead + Math.abs(b.side)) || a.side - b.side);
  const where = (s: { ahead: number; side: number }) => {
    const parts: string[] = [];
    if (s.ahead > 0) parts.push(s.ahead === 1 && s.side === 0 ? 'right in front' : `${s.ahead} ahead`);
    if (s.side !== 0) parts.push(`${Math.abs(s.side)} to the ${s.side < 0 ? 'left' : 'right'}`);
    return parts.join(' and ') || 'here';
  };
  const sights = seen.slice(0, 5).map((s) => `${s.what} ${where(s)}`);
  // The two cells beside the agent, spelt out: which way a turn leads when the way ahead is blocked.
  const beside = (side: number) => NAMES[view[((k - 1) * k + half + side) * 3]!] ?? 'free ground';
  const feel: string[] = [];
  if (body.pain >= 1) feel.push('in pain from a hazard');
  if (body.collided) feel.push('bumped into someone');
  if (body.energy < 0.25) feel.push('very hungry');
  if (body.hydration < 0.25) feel.push('very thirsty');
  if (body.health < 0.4) feel.push('badly hurt');
  return [
    `You face ${HEADINGS[body.heading]}.`,
    sights.length ? `You see ${sights.join(', ')}.` : 'You see nothing of note.',
    `On your left ${beside(-1)}, on your right ${beside(1)}.`,
    `Energy ${pct(body.energy)}, hydration ${pct(body.hydration)}, health ${pct(body.health)}.`,
    feel.length ? `You feel ${feel.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
