import { Action, ViewObject } from '@dte/arena';

/** What an agent can see in its view: object kind, cells ahead and cells to the side (− left, + right). */
export interface Sight {
  what: 'food' | 'water' | 'a hazard' | 'another agent' | 'a wall';
  ahead: number;
  side: number;
}

const NAMES: Record<number, Sight['what']> = {
  [ViewObject.Food]: 'food',
  [ViewObject.Water]: 'water',
  [ViewObject.Hazard]: 'a hazard',
  [ViewObject.Agent]: 'another agent',
  [ViewObject.Wall]: 'a wall',
};

/** Everything notable in an egocentric view (walls only when adjacent), nearest first, ties left to right. */
export function sightsOf(view: Uint8Array, k: number): Sight[] {
  const half = (k - 1) >> 1;
  const out: Sight[] = [];
  for (let row = 0; row < k; row++) {
    for (let col = 0; col < k; col++) {
      const what = NAMES[view[(row * k + col) * 3]!];
      const ahead = k - 1 - row;
      const side = col - half;
      if (!what || (ahead === 0 && side === 0)) continue;
      if (what === 'a wall' && ahead + Math.abs(side) > 1) continue;
      out.push({ what, ahead, side });
    }
  }
  return out.sort((a, b) => a.ahead + Math.abs(a.side) - (b.ahead + Math.abs(b.side)) || a.side - b.side);
}

/** "2 ahead and 1 to the left", "right in front", "here". */
export function whereOf(s: { ahead: number; side: number }): string {
  const parts: string[] = [];
  if (s.ahead > 0) parts.push(s.ahead === 1 && s.side === 0 ? 'right in front' : `${s.ahead} ahead`);
  if (s.side !== 0) parts.push(`${Math.abs(s.side)} to the ${s.side < 0 ? 'left' : 'right'}`);
  return parts.join(' and ') || 'here';
}

/** Answer to "What do you see?": up to four sights, or that nothing of note is in view. */
export function answerSee(view: Uint8Array, k: number): string {
  const sights = sightsOf(view, k).slice(0, 4);
  if (sights.length === 0) return 'Nothing of note.';
  const text = sights.map((s) => `${s.what} ${whereOf(s)}`).join(', ');
  return `I see ${text}.`;
}

/** Graded words for a body level in [0, 1]: below 0.25, below 0.6, otherwise. */
export function level(v: number, words: readonly [string, string, string]): string {
  return v < 0.25 ? words[0] : v < 0.6 ? words[1] : words[2];
}

export const HUNGER_WORDS = ['very hungry', 'a bit hungry', 'well fed'] as const;
export const THIRST_WORDS = ['very thirsty', 'a bit thirsty', 'not thirsty'] as const;
export const HEALTH_WORDS = ['badly hurt', 'a little hurt', 'healthy'] as const;

/** Answer to "How do you feel?" from the proprioception vector (energy, hydration, health, …, pain at 8). */
export function answerFeel(proprio: Float32Array): string {
  const [energy = 1, hydration = 1, health = 1] = proprio;
  const pain = (proprio[8] ?? 0) >= 1 ? ' It hurts: I stepped on a hazard.' : '';
  return `I am ${level(energy, HUNGER_WORDS)}, ${level(hydration, THIRST_WORDS)} and ${level(health, HEALTH_WORDS)}.${pain}`;
}

const VERB: Record<number, string> = {
  [Action.Stay]: 'stay',
  [Action.Forward]: 'go forward',
  [Action.TurnLeft]: 'turn left',
  [Action.TurnRight]: 'turn right',
  [Action.Eat]: 'eat',
  [Action.Drink]: 'drink',
};

/** The question about an action: "Why did you turn left?". */
export function questionWhy(action: number): string {
  return `Why did you ${VERB[action] ?? 'act'}?`;
}

/**
 * Answer to "Why did you …?" for the scripted expert's action, following its rules: eat/drink what is
 * in front when needed, head for the nearest needed resource in view, otherwise explore.
 */
export function answerWhy(view: Uint8Array, k: number, proprio: Float32Array, action: number): string {
  const [energy = 1, hydration = 1] = proprio;
  if (action === Action.Eat) return 'Because food was right in front and I was hungry.';
  if (action === Action.Drink) return 'Because water was right in front and I was thirsty.';
  const needFood = energy < 0.85;
  const needWater = hydration < 0.85;
  const wants: Array<'food' | 'water'> = [];
  if (needFood && needWater)
    wants.push(...(energy <= hydration ? (['food', 'water'] as const) : (['water', 'food'] as const)));
  else if (needFood) wants.push('food');
  else if (needWater) wants.push('water');
  const sights = sightsOf(view, k);
  for (const want of wants) {
    const target = sights.find((s) => s.what === want);
    if (target) return `Because I need ${want} and it is ${whereOf(target)}.`;
  }
  if (wants.length === 0) return 'Because I need nothing now, so I explore.';
  return `Because I need ${wants[0]} and none is in view, so I explore.`;
}
